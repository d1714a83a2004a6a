package clipcl.tensor;

/**
 * One Adam step's settings as torch.optim.Adam/AdamW define them: decoupled weight decay shrinks
 * the parameter by lr * weightDecay before the update (AdamW); otherwise weightDecay * p is added
 * to the gradient (L2). step is the 1-based count of updates of this parameter, for bias correction.
 */
public record AdamStep(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled, long step) {
    public AdamStep {
        if (step < 1) throw new IllegalArgumentException("adam: step must be >= 1, got " + step);
    }

    public double biasCorrection1() { return 1 - Math.pow(beta1, step); }

    public double biasCorrection2() { return 1 - Math.pow(beta2, step); }
}

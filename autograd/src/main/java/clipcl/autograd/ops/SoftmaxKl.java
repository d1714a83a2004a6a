package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;

/**
 * KL(softmax(old/T) || softmax(new/T)) over the last dim, summed over rows and divided by `denom`
 * (dim 0 for torch's "batchmean", 1 for a plain sum): the distillation loss, teacher `old`, student
 * `new`. Saves both logit tensors (no copies); the backend recomputes the row softmaxes in backward:
 * d/dnew = (q - p) / T, d/dold = p (log p - log q - KL_row) / T, times g / denom.
 */
public final class SoftmaxKl extends Function {
    private Tensor oldL, newL;
    private double t, denom;

    public static Var apply(Var oldLogits, Var newLogits, double temperature, boolean batchMean) {
        String what = "softmax_kl of " + oldLogits.shape() + " (teacher) and " + newLogits.shape() + " (student)";
        if (!oldLogits.shape().equals(newLogits.shape())) throw new IllegalArgumentException(what + ": shapes differ");
        if (oldLogits.rank() < 1 || oldLogits.numel() == 0) throw new IllegalArgumentException(what + ": needs non-empty logits");
        if (!(temperature > 0)) throw new IllegalArgumentException(what + ": temperature must be positive, got " + temperature);
        SoftmaxKl f = new SoftmaxKl();
        f.connect(oldLogits, newLogits);
        f.t = temperature;
        f.denom = batchMean && oldLogits.rank() > 1 ? oldLogits.dim(0) : 1;
        Tensor out;
        try (Tensor rows = Training.softmaxKl(oldLogits.data(), newLogits.data(), temperature); Tensor s = rows.sum()) {
            out = s.div(f.denom);
        }
        if (f.anyNeedsGrad()) {
            f.oldL = f.save(oldLogits.data());
            f.newL = f.save(newLogits.data());
        }
        return f.output(out);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int rows = oldL.numel() / oldL.dim(-1);
        try (Tensor gs = g.div(denom); Tensor g1 = gs.reshape(1); Tensor dkl = g1.expand(rows)) {
            return Training.softmaxKlBackward(oldL, newL, t, dkl, needsGrad(0), needsGrad(1));
        }
    }
}

package clipcl.continual.loss;

import clipcl.autograd.Grad;
import clipcl.autograd.Var;
import clipcl.clip.model.Clip;
import clipcl.continual.train.Batch;
import clipcl.continual.train.LossTerm;
import clipcl.continual.train.StudentOutputs;
import clipcl.continual.train.TeacherContext;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;

/**
 * LwF re-done with the contrastive loss (paper B's baseline): the frozen previous-phase model's in-batch
 * image-to-text distributions (and text-to-image) are the targets of the current model's,
 * KL(p_old || p_new) over the batch's captions, batch mean, the two directions averaged. Each model
 * uses its own logits (cosines times its own exp(logit_scale)), divided by the temperature t: the
 * distributions its contrastive loss trains, as LwF distils a classifier's outputs.
 *
 * <p>It is Mod-X's term without the row replacement (every row kept) and with the contrastive
 * logits instead of the raw cosines; paper B contrasts the two exactly on that replacement.
 */
public final class ContrastiveLwfLoss implements LossTerm {
    private final double beta, temperature;

    public ContrastiveLwfLoss(double beta, double temperature) {
        if (!(beta >= 0) || !Double.isFinite(beta)) throw new IllegalArgumentException("lwf: beta must be a finite number >= 0, got " + beta);
        if (!(temperature > 0) || !Double.isFinite(temperature)) throw new IllegalArgumentException("lwf: t must be a positive number, got " + temperature);
        this.beta = beta;
        this.temperature = temperature;
    }

    @Override
    public String name() { return "lwf"; }

    @Override
    public double weight() { return beta; }

    @Override
    public Var compute(Batch batch, StudentOutputs s, TeacherContext ctx) {
        Clip teacher = ctx == null ? null : ctx.teacher();
        if (teacher == null) throw new IllegalStateException("lwf over the batch: needs the frozen previous model (the method must ask for a teacher)");
        Tensor oldImage, oldText;
        double oldScale;
        try (Grad.Mode g = Grad.noGrad(); Scope sc = Scope.open()) {
            oldImage = sc.keep(teacher.encodeImage(Var.constant(batch.images())).data());
            oldText = sc.keep(teacher.encodeText(batch.ids()).data());
            oldScale = Math.exp(teacher.logitScale().data().item());
        }
        return loss(s.imageFeatures(), s.textFeatures(), s.scale(), oldImage, oldText, oldScale, temperature);
    }

    /**
     * The term from features.
     *
     * @param image    [B, E] the current model's image features (not normalised)
     * @param text     [B, E] its text features
     * @param scale    exp(logit_scale) of the current model, scalar
     * @param oldImage [B, E] the old model's image features, constant
     * @param oldText  [B, E] its text features
     * @param oldScale exp(logit_scale) of the old model
     */
    public static Var loss(Var image, Var text, Var scale, Tensor oldImage, Tensor oldText, double oldScale, double t) {
        int b = image.dim(0);
        if (oldImage.dim(0) != b || text.dim(0) != b || oldText.dim(0) != b) {
            throw new IllegalArgumentException("lwf over the batch: " + image.shape() + " / " + text.shape() + " student features against "
                    + oldImage.shape() + " / " + oldText.shape() + " teacher features");
        }
        float[] old;                                                            // [B, B] old image-to-text logits / t
        try (Grad.Mode g = Grad.noGrad(); Scope sc = Scope.open()) {
            Var oi = Var.constant(oldImage).l2Normalize(-1, 1e-12), ot = Var.constant(oldText).l2Normalize(-1, 1e-12);
            old = oi.matmul(ot.mT()).data().contiguous().toFloatArray();
        }
        for (int k = 0; k < old.length; k++) old[k] = (float) (old[k] * oldScale / t);
        Var cur = image.l2Normalize(-1, 1e-12).matmul(text.l2Normalize(-1, 1e-12).mT()).mul(scale).div(t);  // [B, B]
        boolean[] all = new boolean[b];
        java.util.Arrays.fill(all, true);
        return ModXDistillation.symmetric(cur, old, all, all, ModXDistillation.Reduction.MEAN);
    }
}

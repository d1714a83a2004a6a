package clipcl.continual.train;

import clipcl.autograd.F;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;
import java.util.List;

/**
 * CLIP's symmetric InfoNCE over the batch's image-caption pairs: logits = scale * cos(image_i,
 * caption_j) [B, B], cross-entropy towards the diagonal for images->texts and texts->images, averaged.
 * The scale is the student's exp(logit_scale); the trainer clamps logit_scale to ln 100 after each
 * step. With {@code multiPositive}, captions with identical text count as positives of each other
 * (with captions made from class templates a batch holds many, which the plain loss treats as
 * negatives): each row's loss is {@code -log} of the probability mass on all its positives (the sum
 * inside the log). The other common form, the mean of {@code -log p} over positives, equals plain
 * InfoNCE here exactly, because identical captions have identical features; the sum form is the one
 * that stops a caption from pushing its own image above the other images it describes equally well.
 */
public record ContrastiveLoss(boolean multiPositive) implements LossTerm {
    @Override
    public String name() { return multiPositive ? "contrastive_multi_positive" : "contrastive"; }

    @Override
    public double weight() { return 1; }

    @Override
    public Var compute(Batch batch, StudentOutputs s, TeacherContext ctx) {
        Var img = s.imageFeatures().l2Normalize(-1, 1e-12), txt = s.textFeatures().l2Normalize(-1, 1e-12);
        Var logits = img.matmul(txt.mT()).mul(s.scale());                                   // [B, B]
        int b = batch.size();
        if (!multiPositive) {
            int[] diag = new int[b];
            for (int i = 0; i < b; i++) diag[i] = i;
            return F.crossEntropy(logits, diag).add(F.crossEntropy(logits.mT(), diag)).mul(0.5);
        }
        Tensor notPositive = Placement.onDevice(notPositive(batch.captions()), logits.data().device()); // [B, B], symmetric
        return logMassOnPositives(logits, notPositive).add(logMassOnPositives(logits.mT(), notPositive)).mul(-0.5);
    }

    /** mean over rows of log sum_{j positive} softmax(row)_j, computed from the log-softmax shifted by its row max. */
    static Var logMassOnPositives(Var logits, Tensor notPositive) {
        Var ls = logits.logSoftmax(1).maskedFill(notPositive, ClassPromptLoss.MASKED);           // [B, B]
        Var m = ls.max(1, true).detach();                                                    // [B, 1], a positive's value
        return ls.sub(m).exp().sum(1, true).log().add(m).mean();
    }

    /** 1 where captions i and j differ, 0 where they are the same text (the diagonal included). */
    static Tensor notPositive(List<String> captions) {
        int b = captions.size();
        int[] q = new int[b * b];
        for (int i = 0; i < b; i++) for (int j = 0; j < b; j++) q[i * b + j] = captions.get(i).equals(captions.get(j)) ? 0 : 1;
        return Tensor.of(q, b, b);
    }
}

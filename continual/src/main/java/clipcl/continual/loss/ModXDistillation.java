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
 * Mod-X's off-diagonal distillation (paper B, Sec. 4): per batch, the current model's similarity matrix
 * M_t[i,j] = cos(image_i, text_j) and the frozen previous-phase model's M_{t-1}; rows the old model gets
 * wrong are replaced by the current rows (detached), so they carry neither loss nor gradient; then
 * KL(softmax(M_{t-1}) || softmax(M_t)) over the rows, image-to-text and text-to-image, averaged.
 * The text-to-image side judges correctness on its own rows (the old texts' argmax over images), as
 * the authors' code does.
 *
 * <p>Readings that differ between the paper's text and the authors' code are options; the defaults
 * follow the code (it produced the published numbers): {@link Scale#RAW} (softmax of the raw cosines,
 * temperature 1) and {@link Reduction#SUM} (summed over rows, not averaged). With the sum the loss grows
 * with the batch, which is why alpha = 20 is the right order at batch 280 in the paper.
 *
 * <p>The correctness rule ({@link Rule}) defaults to {@link Rule#CAPTION}: a row counts as correct when
 * the old model retrieves the same caption text. With unique captions (the paper's data) that is the
 * paper's {@code argmax_j == i} exactly; with class-template captions a batch holds many identical
 * captions whose cosines tie exactly, the argmax lands on the first of them, and the index rule would
 * throw away nearly every row for that tie-break alone.
 */
public final class ModXDistillation implements LossTerm {
    /** What the softmax is taken over. */
    public enum Scale {
        /** the raw cosines, temperature 1 (authors' code) */
        RAW,
        /** the cosines times each model's exp(logit_scale) (the logits the contrastive loss uses) */
        LOGIT
    }

    /** How the per-row KL values are combined. */
    public enum Reduction {
        /** summed over rows (authors' code: kl_div(..., reduction='sum')) */
        SUM,
        /** averaged over rows (batchmean) */
        MEAN
    }

    /** When the old model's row i counts as correct (kept as the target). */
    public enum Rule {
        /** argmax_j M_{t-1}[i, j] == i (paper) */
        INDEX,
        /** the retrieved item's caption is the same text as item i's (the paper's rule for unique captions) */
        CAPTION,
        /** the retrieved item has item i's class label */
        CLASS
    }

    /** alpha = 20: the paper's setting (Table 6 sweeps 10..30). */
    public static final double DEFAULT_ALPHA = 20;

    private final double alpha;
    private final Rule rule;
    private final Scale scale;
    private final Reduction reduction;
    private double lastKept = Double.NaN;

    public ModXDistillation(double alpha, Rule rule, Scale scale, Reduction reduction) {
        if (!(alpha >= 0) || !Double.isFinite(alpha)) throw new IllegalArgumentException("mod-x: alpha must be a finite number >= 0, got " + alpha);
        this.alpha = alpha;
        this.rule = rule;
        this.scale = scale;
        this.reduction = reduction;
    }

    @Override
    public String name() { return "modx_kl"; }

    @Override
    public double weight() { return alpha; }

    public Rule rule() { return rule; }

    /** The share of rows (both directions together) the old model got right in the last batch. */
    public double lastKeptFraction() { return lastKept; }

    @Override
    public Var compute(Batch batch, StudentOutputs s, TeacherContext ctx) {
        Clip teacher = ctx == null ? null : ctx.teacher();
        if (teacher == null) throw new IllegalStateException("mod-x: needs the frozen previous-phase model (the method must ask for a teacher)");
        int b = batch.size();
        float[] old;                                                        // [B, B] old image-to-text cosines
        double oldScale;
        try (Grad.Mode g = Grad.noGrad(); Scope sc = Scope.open()) {
            Var oi = teacher.encodeImage(Var.constant(batch.images())).l2Normalize(-1, 1e-12);
            Var ot = teacher.encodeText(batch.ids()).l2Normalize(-1, 1e-12);
            old = oi.matmul(ot.mT()).data().contiguous().toFloatArray();
            oldScale = Math.exp(teacher.logitScale().data().item());
        }
        Var img = s.imageFeatures().l2Normalize(-1, 1e-12), txt = s.textFeatures().l2Normalize(-1, 1e-12);
        Var cur = img.matmul(txt.mT());                                     // [B, B] image-to-text cosines
        // correctness is judged on the cosines; a positive scale does not move an argmax
        boolean[] keepI = correctRows(old, b, batch, rule), keepT = correctRows(transpose(old, b), b, batch, rule);
        if (scale == Scale.LOGIT) {
            cur = cur.mul(s.scale());
            for (int k = 0; k < old.length; k++) old[k] *= (float) oldScale;
        }
        int kept = 0;
        for (int i = 0; i < b; i++) kept += (keepI[i] ? 1 : 0) + (keepT[i] ? 1 : 0);
        lastKept = kept / (2.0 * b);
        return symmetric(cur, old, keepI, keepT, reduction);
    }

    /**
     * (KL over the image-to-text rows + KL over the text-to-image rows) / 2.
     *
     * @param current [B, B] the current model's image-to-text similarities (its transpose is text-to-image)
     * @param old     [B * B] row-major, the old model's image-to-text similarities
     */
    public static Var symmetric(Var current, float[] old, boolean[] keepImageRows, boolean[] keepTextRows, Reduction reduction) {
        int b = current.dim(0);
        return kl(current, old, keepImageRows, reduction).add(kl(current.mT(), transpose(old, b), keepTextRows, reduction)).mul(0.5);
    }

    /**
     * sum (or mean) over rows of KL(softmax(target_i) || softmax(current_i)), where target_i is old_i when
     * keep[i] and the detached current_i otherwise. A replaced row's KL is KL(q || q) = 0 and its
     * gradient q - q = 0 exactly, so it is left out rather than computed: evaluated in float it would
     * only add rounding noise (a slightly negative loss when most rows are replaced). The mean still
     * divides by every row, as the authors' batchmean over the in-place-replaced matrix would.
     *
     * @param current [B, M] the current model's (scaled) similarities
     * @param old     [B * M] row-major, the old model's
     */
    public static Var kl(Var current, float[] old, boolean[] keep, Reduction reduction) {
        int b = current.dim(0), m = current.dim(1);
        if (old.length != b * m || keep.length != b) throw new IllegalArgumentException("mod-x KL: " + b + "x" + m + " similarities, " + old.length + " old values, " + keep.length + " row flags");
        double[] p = new double[b * m];                                      // target probabilities, 0 on replaced rows
        double plogp = 0;
        for (int i = 0; i < b; i++) {
            if (!keep[i]) continue;
            double mx = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) mx = Math.max(mx, old[i * m + j]);
            double z = 0;
            for (int j = 0; j < m; j++) z += Math.exp(old[i * m + j] - mx);
            for (int j = 0; j < m; j++) {
                double logP = old[i * m + j] - mx - Math.log(z);
                double pij = Math.exp(logP);
                p[i * m + j] = pij;
                if (pij > 0) plogp += pij * logP;
            }
        }
        // KL = sum p log p - sum p log q; the first part is a constant of the student
        Var cross = Var.constant(Tensor.of(p, b, m).to(current.dtype()).to(current.data().device())).mul(current.logSoftmax(1)).sum().neg();
        Var total = cross.add(plogp);
        return reduction == Reduction.SUM ? total : total.div(b);
    }

    /** Which rows of a [B, B] old similarity matrix (row-major) the old model gets right under the rule. */
    public static boolean[] correctRows(float[] sim, int b, Batch batch, Rule rule) {
        boolean[] ok = new boolean[b];
        for (int i = 0; i < b; i++) {
            int best = 0;
            for (int j = 1; j < b; j++) if (sim[i * b + j] > sim[i * b + best]) best = j;  // first maximum, as torch.max
            ok[i] = switch (rule) {
                case INDEX -> best == i;
                case CAPTION -> batch.captions().get(best).equals(batch.captions().get(i));
                case CLASS -> batch.labels()[best] == batch.labels()[i];
            };
        }
        return ok;
    }

    public static float[] transpose(float[] a, int b) {
        float[] t = new float[a.length];
        for (int i = 0; i < b; i++) for (int j = 0; j < b; j++) t[j * b + i] = a[i * b + j];
        return t;
    }

    public static Rule parseRule(String s) {
        for (Rule r : Rule.values()) if (r.name().equalsIgnoreCase(s)) return r;
        throw new IllegalArgumentException("mod-x: rule '" + s + "': expected index, caption or class");
    }
}

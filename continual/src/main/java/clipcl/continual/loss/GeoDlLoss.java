package clipcl.continual.loss;

import clipcl.autograd.Var;
import clipcl.continual.data.CaptionTemplates;
import clipcl.continual.linalg.GeodesicFlowKernel;
import clipcl.continual.linalg.Svd;
import clipcl.continual.train.Batch;
import clipcl.continual.train.LossTerm;
import clipcl.continual.train.StudentOutputs;
import clipcl.continual.train.TeacherContext;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * GeoDL on CLIP (paper A, Eq. 6-9): distillation of the image features of the batch and of the text
 * features of the distilled classes' prompts (all classes seen so far) along the geodesic flow between
 * the old and the new feature subspaces. The kernel Q is computed in float64 from the features of the
 * step ({@link GeodesicFlowKernel}) and treated as a constant (detached, as the authors' code does), so
 * gradients flow only through the new features. Two forms:
 * <ul>
 * <li>{@link Form#PAPER}: {@code -mean_i (z_new^T Q z_old) / (||Q^1/2 z_new|| ||Q^1/2 z_old||)} on the
 *     features as they come (a cosine under the metric Q; {@code ||Q^1/2 z||^2 = z^T Q z});</li>
 * <li>{@link Form#AUTHORS} (default): features L2-normalised, then centred over the rows, and
 *     {@code mean_i (f_new - f_old)^T Q (f_new - f_old)}. Default because it is what produced the
 *     paper's numbers; the printed cosine form is invariant to feature norms and, with the kernel
 *     detached, leaves a flat direction along each feature that the squared distance does not.</li>
 * </ul>
 * Subspace dimension: the authors use n - 2 (n rows, so the subspace of n centred rows, rank n - 1,
 * loses its weakest direction). With OpenAI's 512-d features and batch 100 that is a fifth of the
 * space; our embeddings are 64-d under batches of 256, where n - 2 would fill the whole space and make
 * Q the identity, so the dimension is {@code min(n - 2, E / 2)} unless set.
 */
public record GeoDlLoss(String name, double weight, boolean image, List<String> classNames, CaptionTemplates templates,
                        Form form, int dimension) implements LossTerm {

    public enum Form { AUTHORS, PAPER }

    @Override
    public Var compute(Batch batch, StudentOutputs s, TeacherContext ctx) {
        if (ctx.teacher() == null) throw new IllegalStateException("GeoDL needs the frozen teacher");
        if (image) return loss(s.imageFeatures(), PairLogits.teacherImages(ctx.teacher(), batch), form, dimension);
        List<String> prompts = new ArrayList<>();
        for (int c : ctx.seenClasses()) prompts.add(templates.prompt(classNames.get(c)));
        Tensor ids = ctx.text().ids(prompts, s.model().device());
        return loss(s.model().encodeText(ids), PairLogits.teacherTexts(ctx.teacher(), ids), form, dimension);
    }

    /** zNew [n, E] with gradient, zOld [n, E] constant; dimension <= 0 = the default rule. */
    public static Var loss(Var zNew, Tensor zOld, Form form, int dimension) {
        if (!zNew.shape().equals(zOld.shape())) throw new IllegalArgumentException("GeoDL: new features " + zNew.shape() + " and old " + zOld.shape() + " differ");
        int n = zNew.dim(0), e = zNew.dim(1);
        if (n < 2) throw new IllegalArgumentException("GeoDL: needs at least 2 rows to estimate subspaces, got " + n);
        int d = dimension > 0 ? dimension : Math.max(1, Math.min(n - 2, e / 2));
        if (d > Math.min(n, e)) throw new IllegalArgumentException("GeoDL: subspace dimension " + d + " exceeds min(rows " + n + ", features " + e + ")");
        Var xNew = zNew;
        Var xOld = Var.constant(zOld);
        if (form == Form.AUTHORS) {
            xNew = center(zNew.l2Normalize(-1, 1e-12));
            xOld = center(xOld.l2Normalize(-1, 1e-12));
        }
        double[][] q = GeodesicFlowKernel.of(basis(rows(xOld.data()), d), basis(rows(xNew.data()), d));
        return loss(xNew, xOld.data(), q, form);
    }

    /** The loss for a given kernel (finite-difference checks hold Q fixed, as training does). */
    public static Var loss(Var xNew, Tensor xOld, double[][] q, Form form) {
        int e = q.length;
        double[] flat = new double[e * e];
        for (int i = 0; i < e; i++) System.arraycopy(q[i], 0, flat, i * e, e);
        Var qv = Var.constant(Tensor.of(flat, e, e).to(xNew.dtype()).to(xNew.data().device())); // [E, E]
        Var old = Var.constant(xOld);
        if (form == Form.AUTHORS) {
            Var diff = xNew.sub(old);                                           // [n, E]
            return diff.matmul(qv).mul(diff).sum(1, false).mean();
        }
        Var qNew = xNew.matmul(qv);                                             // [n, E]
        Var num = qNew.mul(old).sum(1, false);                                  // [n]
        Var nNew = qNew.mul(xNew).sum(1, false).clamp(1e-24, Double.MAX_VALUE).sqrt();
        Var nOld = old.matmul(qv).mul(old).sum(1, false).clamp(1e-24, Double.MAX_VALUE).sqrt();
        return num.div(nNew.mul(nOld)).mean().neg();
    }

    private static Var center(Var x) { return x.sub(x.mean(0, true)); }

    private static double[][] rows(Tensor t) {
        int n = t.dim(0), e = t.dim(1);
        double[] v = t.contiguous().toDoubleArray();
        double[][] m = new double[n][e];
        for (int i = 0; i < n; i++) System.arraycopy(v, i * e, m[i], 0, e);
        return m;
    }

    /** The top-d right singular vectors of the rows (E x d): the principal subspace of the features. */
    static double[][] basis(double[][] rows, int d) {
        double[][] v = Svd.of(rows).v();
        double[][] out = new double[v.length][d];
        for (int i = 0; i < v.length; i++) System.arraycopy(v[i], 0, out[i], 0, d);
        return out;
    }

}

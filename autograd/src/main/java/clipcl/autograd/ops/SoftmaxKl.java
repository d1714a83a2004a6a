package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.DType;
import clipcl.tensor.Parallel;
import clipcl.tensor.Tensor;

/**
 * KL(softmax(old/T) || softmax(new/T)) over the last dim, summed over rows and divided by `denom`
 * (dim 0 for torch's "batchmean", 1 for a plain sum): the distillation loss, teacher `old`, student
 * `new`. Saves both logit tensors (no copies) and recomputes the row softmaxes in backward:
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
        DType dt = DType.promote(oldLogits.dtype().computeType(), newLogits.dtype().computeType());
        double kl = f.run(oldLogits.data(), newLogits.data(), dt, null, null, 0);
        if (f.anyNeedsGrad()) {
            f.oldL = f.save(oldLogits.data());
            f.newL = f.save(newLogits.data());
        }
        return f.output(Tensor.full(kl / f.denom, dt));
    }

    /**
     * Sum over rows of KL_row; when dOld / dNew are given, also writes the row gradients times gScale.
     */
    private double run(Tensor o, Tensor nw, DType dt, Tensor dOld, Tensor dNew, double gScale) {
        String op = "softmax_kl";
        Tensor oc = Rows.dense(o, dt), nc = Rows.dense(nw, dt);
        try {
            Rows ro = new Rows(op, oc, -1), rn = new Rows(op, nc, -1);
            Rows rdo = dOld == null ? null : new Rows(op, dOld, -1), rdn = dNew == null ? null : new Rows(op, dNew, -1);
            int c = ro.n, rows = ro.rows();
            double[] perRow = new double[rows];
            double invT = 1.0 / t;
            Parallel.forRange(rows, RowKernels.grain(c), (from, to) -> {
                double[] lp = new double[c], lq = new double[c], buf = new double[c];
                for (int r = from; r < to; r++) {
                    ro.load(r, lp);
                    rn.load(r, lq);
                    for (int j = 0; j < c; j++) { lp[j] *= invT; lq[j] *= invT; }
                    double lseP = CrossEntropy.logSumExp(lp), lseQ = CrossEntropy.logSumExp(lq);
                    double kl = 0;
                    for (int j = 0; j < c; j++) {
                        lp[j] -= lseP;
                        lq[j] -= lseQ;
                        double p = Math.exp(lp[j]);
                        if (p > 0) kl += p * (lp[j] - lq[j]);
                    }
                    perRow[r] = kl;
                    if (rdn != null) {
                        for (int j = 0; j < c; j++) buf[j] = (Math.exp(lq[j]) - Math.exp(lp[j])) * invT * gScale;
                        rdn.store(r, buf);
                    }
                    if (rdo != null) {
                        for (int j = 0; j < c; j++) {
                            double p = Math.exp(lp[j]);
                            buf[j] = p > 0 ? p * (lp[j] - lq[j] - kl) * invT * gScale : 0.0;
                        }
                        rdo.store(r, buf);
                    }
                }
            });
            double s = 0;
            for (double v : perRow) s += v;
            return s;
        } finally {
            Rows.drop(oc, o);
            Rows.drop(nc, nw);
        }
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        DType dt = DType.promote(oldL.dtype().computeType(), newL.dtype().computeType());
        Tensor dOld = needsGrad(0) ? Tensor.empty(dt, oldL.dims()) : null;
        Tensor dNew = needsGrad(1) ? Tensor.empty(dt, newL.dims()) : null;
        run(oldL, newL, dt, dOld, dNew, g.item() / denom);
        return new Tensor[] {dOld, dNew};
    }
}

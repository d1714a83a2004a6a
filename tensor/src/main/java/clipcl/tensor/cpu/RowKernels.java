package clipcl.tensor.cpu;

import clipcl.tensor.DType;
import clipcl.tensor.Parallel;
import clipcl.tensor.Tensor;

/**
 * The CPU's fused row kernels of training (softmax family, losses, attention's masked softmax),
 * parallel over rows, each row read into a double buffer so one loop serves F32 and F64 and
 * accumulates in double. Outputs are the fresh contiguous tensors the front end allocated.
 */
final class RowKernels {
    private RowKernels() { }

    static int grain(int n) { return Math.max(1, 8192 / Math.max(1, n)); }

    /** dx = scale * y (g - sum(g y)) or, for log-softmax, scale * (g - exp(y) sum(g)), along dim. One read of y and g, one write. */
    static void softmaxBackward(Tensor y, Tensor g, int dim, boolean log, double scale, Tensor dx) {
        String op = log ? "log_softmax backward" : "softmax backward";
        DType dt = dx.dtype();
        Tensor yc = Rows.dense(y, dt), gc = Rows.dense(g, dt);
        try {
            Rows ry = new Rows(op, yc, dim), rg = new Rows(op, gc, dim), ro = new Rows(op, dx, dim);
            int n = ry.n;
            Parallel.forRange(ry.rows(), grain(n), (from, to) -> {
                double[] yb = new double[n], gb = new double[n];
                for (int r = from; r < to; r++) {
                    ry.load(r, yb);
                    rg.load(r, gb);
                    double s = 0;
                    if (log) {
                        for (int j = 0; j < n; j++) s += gb[j];
                        for (int j = 0; j < n; j++) gb[j] -= Math.exp(yb[j]) * s;
                    } else {
                        for (int j = 0; j < n; j++) s += gb[j] * yb[j];
                        for (int j = 0; j < n; j++) gb[j] = yb[j] * (gb[j] - s);
                    }
                    if (scale != 1) for (int j = 0; j < n; j++) gb[j] *= scale;
                    ro.store(r, gb);
                }
            });
        } finally {
            Rows.drop(yc, y);
            Rows.drop(gc, g);
        }
    }

    /** out = softmax(x * scale + mask) along the last dim in one pass; mask is an additive view of x's shape or null. */
    static void maskedSoftmax(Tensor x, Tensor mask, double scale, Tensor out) {
        String op = "scaled_dot_product_attention";
        Tensor xc = Rows.dense(x, out.dtype());
        try {
            Rows rx = new Rows(op, xc, -1), ro = new Rows(op, out, -1);
            int n = rx.n;
            MaskRows m = mask == null ? null : new MaskRows(mask, out);
            Parallel.forRange(rx.rows(), grain(n), (from, to) -> {
                double[] buf = new double[n];
                for (int r = from; r < to; r++) {
                    rx.load(r, buf);
                    double mx = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        double v = buf[j] * scale;
                        if (m != null) v += m.get(r, j);
                        buf[j] = v;
                        if (v > mx) mx = v;
                    }
                    if (mx == Double.NEGATIVE_INFINITY) mx = 0; // a fully masked row gives 0/0 = NaN, as torch
                    double sum = 0;
                    for (int j = 0; j < n; j++) { double e = Math.exp(buf[j] - mx); buf[j] = e; sum += e; }
                    double inv = 1.0 / sum;
                    for (int j = 0; j < n; j++) buf[j] *= inv;
                    ro.store(r, buf);
                }
            });
        } finally {
            Rows.drop(xc, x);
        }
    }

    static double logSumExp(double[] row) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : row) m = Math.max(m, v);
        if (m == Double.NEGATIVE_INFINITY) return m;
        double s = 0;
        for (double v : row) s += Math.exp(v - m);
        return m + Math.log(s);
    }

    static void crossEntropy(Tensor logits, Tensor targets, Tensor loss, Tensor lse) {
        int n = logits.dim(0), c = logits.dim(1);
        int[] t = checkedTargets(targets, c);
        Tensor xc = Rows.dense(logits, loss.dtype());
        try (Tensor lossCol = loss.reshape(n, 1); Tensor lseCol = lse.reshape(n, 1)) {
            Rows rx = new Rows("cross_entropy", xc, -1), rl = new Rows("cross_entropy", lossCol, -1), rs = new Rows("cross_entropy", lseCol, -1);
            Parallel.forRange(n, grain(c), (from, to) -> {
                double[] buf = new double[c], one = new double[1];
                for (int r = from; r < to; r++) {
                    rx.load(r, buf);
                    double l = logSumExp(buf);
                    one[0] = l;
                    rs.store(r, one);
                    one[0] = l - buf[t[r]];
                    rl.store(r, one);
                }
            });
        } finally {
            Rows.drop(xc, logits);
        }
    }

    static void crossEntropyBackward(Tensor logits, Tensor targets, Tensor lse, Tensor dloss, Tensor dx) {
        int n = logits.dim(0), c = logits.dim(1);
        int[] t = checkedTargets(targets, c);
        double[] l = lse.toDoubleArray(), d = dloss.toDoubleArray();
        Tensor xc = Rows.dense(logits, dx.dtype());
        try {
            Rows rx = new Rows("cross_entropy backward", xc, -1), rd = new Rows("cross_entropy backward", dx, -1);
            Parallel.forRange(n, grain(c), (from, to) -> {
                double[] buf = new double[c];
                for (int r = from; r < to; r++) {
                    rx.load(r, buf);
                    for (int j = 0; j < c; j++) buf[j] = Math.exp(buf[j] - l[r]) * d[r];
                    buf[t[r]] -= d[r];
                    rd.store(r, buf);
                }
            });
        } finally {
            Rows.drop(xc, logits);
        }
    }

    private static int[] checkedTargets(Tensor targets, int c) {
        int[] t = targets.toIntArray();
        for (int i = 0; i < t.length; i++) {
            if (t[i] < 0 || t[i] >= c) throw new IndexOutOfBoundsException("cross_entropy: target " + t[i] + " of row " + i + " out of range [0, " + c + ")");
        }
        return t;
    }

    /** Row KL values into kl ([rows]); when dOld / dNew are given, also the row gradients times dkl[r]. */
    static void softmaxKl(Tensor o, Tensor nw, double t, Tensor kl, Tensor dkl, Tensor dOld, Tensor dNew) {
        String op = "softmax_kl";
        DType dt = kl != null ? kl.dtype() : dOld != null ? dOld.dtype() : dNew.dtype();
        Tensor oc = Rows.dense(o, dt), nc = Rows.dense(nw, dt);
        try (Tensor klCol = kl == null ? null : kl.reshape(-1, 1)) {
            Rows ro = new Rows(op, oc, -1), rn = new Rows(op, nc, -1);
            Rows rdo = dOld == null ? null : new Rows(op, dOld, -1), rdn = dNew == null ? null : new Rows(op, dNew, -1);
            int c = ro.n, rows = ro.rows();
            Rows rk = klCol == null ? null : new Rows(op, klCol, -1);
            double[] g = dkl == null ? null : dkl.toDoubleArray();
            double invT = 1.0 / t;
            Parallel.forRange(rows, grain(c), (from, to) -> {
                double[] lp = new double[c], lq = new double[c], buf = new double[c], one = new double[1];
                for (int r = from; r < to; r++) {
                    ro.load(r, lp);
                    rn.load(r, lq);
                    for (int j = 0; j < c; j++) { lp[j] *= invT; lq[j] *= invT; }
                    double lseP = logSumExp(lp), lseQ = logSumExp(lq);
                    double k = 0;
                    for (int j = 0; j < c; j++) {
                        lp[j] -= lseP;
                        lq[j] -= lseQ;
                        double p = Math.exp(lp[j]);
                        if (p > 0) k += p * (lp[j] - lq[j]);
                    }
                    if (rk != null) { one[0] = k; rk.store(r, one); }
                    double gs = g == null ? 0 : g[r];
                    if (rdn != null) {
                        for (int j = 0; j < c; j++) buf[j] = (Math.exp(lq[j]) - Math.exp(lp[j])) * invT * gs;
                        rdn.store(r, buf);
                    }
                    if (rdo != null) {
                        for (int j = 0; j < c; j++) {
                            double p = Math.exp(lp[j]);
                            buf[j] = p > 0 ? p * (lp[j] - lq[j] - k) * invT * gs : 0.0;
                        }
                        rdo.store(r, buf);
                    }
                }
            });
        } finally {
            Rows.drop(oc, o);
            Rows.drop(nc, nw);
        }
    }

    /** An additive mask view of the scores' shape, read row by row (any strides, any float dtype). */
    private static final class MaskRows {
        private final double[] values;
        private final int[] rowOffset;
        private final int colStride;

        MaskRows(Tensor mask, Tensor scores) {
            int r = scores.rank();
            // The mask's storage span is small ([Sq,Sk] or [B,1,1,Sk] broadcast): read it once.
            {
                int[] st = mask.strides(), dims = mask.dims();
                int lo = mask.offset(), hi = mask.offset();
                for (int d = 0; d < r; d++) if (dims[d] > 0) hi += (dims[d] - 1) * st[d];
                for (int d = 0; d < r; d++) if (st[d] < 0) throw new IllegalArgumentException("attention mask with a negative stride");
                double[] all = new double[hi - lo + 1];
                try (Tensor span = Tensor.wrap(mask.storage(), clipcl.tensor.Shape.of(all.length), new int[] {1}, lo)) {
                    double[] v = span.toDoubleArray();
                    System.arraycopy(v, 0, all, 0, v.length);
                }
                values = all;
                int rows = scores.numel() / Math.max(1, scores.dim(-1));
                rowOffset = new int[rows];
                for (int row = 0; row < rows; row++) {
                    int rem = row, off = 0;
                    for (int d = r - 2; d >= 0; d--) { off += (rem % dims[d]) * st[d]; rem /= dims[d]; }
                    rowOffset[row] = off;
                }
                colStride = st[r - 1];
            }
        }

        double get(int row, int col) { return values[rowOffset[row] + col * colStride]; }
    }
}

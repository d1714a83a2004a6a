package clipcl.autograd.ops;

import clipcl.tensor.DType;
import clipcl.tensor.Parallel;
import clipcl.tensor.Tensor;

/** Fused backward kernels that work row by row (softmax family), parallel over rows. */
final class RowKernels {
    private RowKernels() { }

    static int grain(int n) { return Math.max(1, 8192 / Math.max(1, n)); }

    /**
     * Softmax backward y (g - sum(g y)) or, for log-softmax, g - exp(y) sum(g), along dim;
     * y is the forward's output. One read of y and g, one write.
     */
    static Tensor softmaxBackward(Tensor y, Tensor g, int dim, boolean log) {
        String op = log ? "log_softmax backward" : "softmax backward";
        DType dt = DType.promote(y.dtype().computeType(), g.dtype().computeType());
        Tensor yc = Rows.dense(y, dt), gc = Rows.dense(g, dt);
        try {
            Tensor out = Tensor.empty(dt, y.dims());
            Rows ry = new Rows(op, yc, dim), rg = new Rows(op, gc, dim), ro = new Rows(op, out, dim);
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
                    ro.store(r, gb);
                }
            });
            return out;
        } finally {
            Rows.drop(yc, y);
            Rows.drop(gc, g);
        }
    }
}

package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.DType;
import clipcl.tensor.Parallel;
import clipcl.tensor.Tensor;

/**
 * Mean cross-entropy of logits [N,C] against integer targets [N] (log-softmax and NLL fused):
 * loss = mean_i (logsumexp(x_i) - x_i[t_i]). Saves the logits (no copy) and each row's logsumexp;
 * backward is one pass: dx = (softmax(x) - onehot(t)) g / N.
 */
public final class CrossEntropy extends Function {
    private Tensor logits;
    private double[] lse;
    private int[] targets;

    public static Var apply(Var logits, int[] targets) {
        String what = "cross_entropy of logits " + logits.shape();
        if (logits.rank() != 2) throw new IllegalArgumentException(what + ": logits must be [N, C]");
        int n = logits.dim(0), c = logits.dim(1);
        if (targets.length != n) throw new IllegalArgumentException(what + ": " + targets.length + " targets for " + n + " rows");
        if (n == 0) throw new IllegalArgumentException(what + ": no rows");
        for (int i = 0; i < n; i++) {
            if (targets[i] < 0 || targets[i] >= c) throw new IllegalArgumentException(what + ": target " + targets[i] + " of row " + i + " out of range [0, " + c + ")");
        }
        CrossEntropy f = new CrossEntropy();
        f.connect(logits);
        DType dt = logits.dtype().computeType();
        Tensor xc = Rows.dense(logits.data(), dt);
        double[] lse = new double[n];
        double loss;
        try {
            Rows rx = new Rows("cross_entropy", xc, -1);
            Parallel.forRange(n, RowKernels.grain(c), (from, to) -> {
                double[] buf = new double[c];
                for (int r = from; r < to; r++) {
                    rx.load(r, buf);
                    lse[r] = logSumExp(buf);
                }
            });
            double s = 0;
            for (int i = 0; i < n; i++) s += lse[i] - xc.get(i, targets[i]);
            loss = s / n;
        } finally {
            Rows.drop(xc, logits.data());
        }
        if (f.anyNeedsGrad()) {
            f.logits = f.save(logits.data());
            f.lse = lse;
            f.targets = targets.clone();
        }
        return f.output(Tensor.full(loss, dt));
    }

    static double logSumExp(double[] row) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : row) m = Math.max(m, v);
        if (m == Double.NEGATIVE_INFINITY) return m;
        double s = 0;
        for (double v : row) s += Math.exp(v - m);
        return m + Math.log(s);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int n = logits.dim(0), c = logits.dim(1);
        double scale = g.item() / n;
        DType dt = logits.dtype().computeType();
        Tensor xc = Rows.dense(logits, dt);
        try {
            Tensor dx = Tensor.empty(dt, n, c);
            Rows rx = new Rows("cross_entropy backward", xc, -1), rd = new Rows("cross_entropy backward", dx, -1);
            Parallel.forRange(n, RowKernels.grain(c), (from, to) -> {
                double[] buf = new double[c];
                for (int r = from; r < to; r++) {
                    rx.load(r, buf);
                    for (int j = 0; j < c; j++) buf[j] = Math.exp(buf[j] - lse[r]) * scale;
                    buf[targets[r]] -= scale;
                    rd.store(r, buf);
                }
            });
            return new Tensor[] {dx};
        } finally {
            Rows.drop(xc, logits);
        }
    }
}

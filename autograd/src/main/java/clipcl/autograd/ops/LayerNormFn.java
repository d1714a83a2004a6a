package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.DType;
import clipcl.tensor.Parallel;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * LayerNorm over the last dimension, fused. The forward is the backend's kernel; backward saves only
 * x and the weight, recomputes each row's mean and 1/std (one extra read of a row already being
 * read) and produces dx, dweight and dbias in one pass:
 * dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)), dxhat = g w, xhat = (x - mean) rstd.
 */
public final class LayerNormFn extends Function {
    private static final int BLOCK = 16; // rows per partial sum of dweight/dbias (fixed: results do not depend on threads)
    private Tensor x, w;
    private boolean hasW, hasB;
    private double eps;

    public static Var apply(Var x, Var weight, Var bias, double eps) {
        LayerNormFn f = new LayerNormFn();
        List<Var> in = new ArrayList<>(3);
        in.add(x);
        if (weight != null) in.add(weight);
        if (bias != null) in.add(bias);
        f.connect(in.toArray(new Var[0]));
        f.hasW = weight != null;
        f.hasB = bias != null;
        f.eps = eps;
        Tensor out = x.data().layerNorm(weight == null ? null : weight.data(), bias == null ? null : bias.data(), eps);
        if (f.needsGrad(0) || (f.hasW && f.needsGrad(1))) f.x = f.save(x.data());
        if (f.hasW && f.needsGrad(0)) f.w = f.save(weight.data());
        return f.output(out);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        String op = "layer_norm backward";
        boolean needX = needsGrad(0), needW = hasW && needsGrad(1), needB = hasB && needsGrad(hasW ? 2 : 1);
        DType dt = DType.promote(g.dtype().computeType(), (x != null ? x : g).dtype().computeType());
        Tensor gc = Rows.dense(g, dt);
        Tensor xc = x == null ? null : Rows.dense(x, dt);
        Tensor wc = w == null ? null : Rows.dense(w, dt);
        try {
            int n = g.dim(-1);
            Rows rg = new Rows(op, gc, -1);
            Rows rx = xc == null ? null : new Rows(op, xc, -1);
            double[] wv = wc == null ? null : wc.toDoubleArray();
            Tensor dx = needX ? Tensor.empty(dt, g.dims()) : null;
            Rows rdx = dx == null ? null : new Rows(op, dx, -1);
            int rows = rg.rows();
            int blocks = (rows + BLOCK - 1) / BLOCK;
            double[] pw = needW ? new double[blocks * n] : null, pb = needB ? new double[blocks * n] : null;
            Parallel.forRange(blocks, Math.max(1, 4096 / Math.max(1, n * BLOCK)), (b0, b1) -> {
                double[] xb = new double[n], gb = new double[n];
                for (int blk = b0; blk < b1; blk++) {
                    for (int r = blk * BLOCK, end = Math.min(rows, r + BLOCK); r < end; r++) {
                        rg.load(r, gb);
                        if (pb != null) for (int j = 0; j < n; j++) pb[blk * n + j] += gb[j];
                        if (rx == null) continue;
                        rx.load(r, xb);
                        double mean = 0;
                        for (int j = 0; j < n; j++) mean += xb[j];
                        mean /= n;
                        double var = 0;
                        for (int j = 0; j < n; j++) { double c = xb[j] - mean; var += c * c; }
                        double rstd = 1.0 / Math.sqrt(var / n + eps);
                        for (int j = 0; j < n; j++) xb[j] = (xb[j] - mean) * rstd; // xhat
                        if (pw != null) for (int j = 0; j < n; j++) pw[blk * n + j] += gb[j] * xb[j];
                        if (rdx == null) continue;
                        double a = 0, c = 0;
                        for (int j = 0; j < n; j++) {
                            double dxh = wv == null ? gb[j] : gb[j] * wv[j];
                            gb[j] = dxh;
                            a += dxh;
                            c += dxh * xb[j];
                        }
                        a /= n;
                        c /= n;
                        for (int j = 0; j < n; j++) gb[j] = rstd * (gb[j] - a - xb[j] * c);
                        rdx.store(r, gb);
                    }
                }
            });
            Tensor dw = needW ? columnSums(pw, blocks, n, dt) : null;
            Tensor db = needB ? columnSums(pb, blocks, n, dt) : null;
            if (hasW && hasB) return new Tensor[] {dx, dw, db};
            if (hasW) return new Tensor[] {dx, dw};
            if (hasB) return new Tensor[] {dx, db};
            return new Tensor[] {dx};
        } finally {
            Rows.drop(gc, g);
            Rows.drop(xc, x);
            Rows.drop(wc, w);
        }
    }

    private static Tensor columnSums(double[] partial, int blocks, int n, DType dt) {
        double[] s = new double[n];
        for (int b = 0; b < blocks; b++) for (int j = 0; j < n; j++) s[j] += partial[b * n + j];
        Tensor out = Tensor.empty(dt, n);
        Rows ro = new Rows("layer_norm backward", out, 0);
        ro.store(0, s);
        return out;
    }
}

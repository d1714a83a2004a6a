package clipcl.tensor.cpu;

import clipcl.tensor.DType;
import clipcl.tensor.Parallel;
import clipcl.tensor.Tensor;

/**
 * LayerNorm backward on the CPU in one pass over the rows: each row's mean and 1/std are recomputed
 * (one extra read of a row already being read) and dx, dweight and dbias come out together:
 * dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)), dxhat = g w, xhat = (x - mean) rstd.
 * dweight/dbias are summed in fixed blocks of rows, so results do not depend on the thread count.
 */
final class LayerNormBackward {
    private static final int BLOCK = 16;

    private LayerNormBackward() { }

    static void run(Tensor g, Tensor x, Tensor w, double eps, Tensor dx, Tensor dw, Tensor db) {
        String op = "layer_norm backward";
        DType dt = (dx != null ? dx : dw != null ? dw : db).dtype();
        Tensor gc = Rows.dense(g, dt);
        Tensor xc = x == null || (dx == null && dw == null) ? null : Rows.dense(x, dt);
        try {
            int n = g.dim(-1);
            Rows rg = new Rows(op, gc, -1);
            Rows rx = xc == null ? null : new Rows(op, xc, -1);
            double[] wv = w == null ? null : w.toDoubleArray();
            Rows rdx = dx == null ? null : new Rows(op, dx, -1);
            int rows = rg.rows();
            int blocks = (rows + BLOCK - 1) / BLOCK;
            double[] pw = dw != null ? new double[blocks * n] : null, pb = db != null ? new double[blocks * n] : null;
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
            if (dw != null) columnSums(pw, blocks, n, dw);
            if (db != null) columnSums(pb, blocks, n, db);
        } finally {
            Rows.drop(gc, g);
            Rows.drop(xc, x);
        }
    }

    private static void columnSums(double[] partial, int blocks, int n, Tensor out) {
        double[] s = new double[n];
        for (int b = 0; b < blocks; b++) for (int j = 0; j < n; j++) s[j] += partial[b * n + j];
        new Rows("layer_norm backward", out, 0).store(0, s);
    }
}

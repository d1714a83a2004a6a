package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.DType;
import clipcl.tensor.Parallel;
import clipcl.tensor.Tensor;

/**
 * softmax(q k^T / sqrt(Dh) + mask) v for q [..,Sq,Dh], k and v [..,Sk,Dh] (batch dims such as
 * [B,H] shared), with an optional additive mask broadcast to [..,Sq,Sk] (for example a causal
 * upper triangle of -inf). Scale, mask and softmax are one in-place pass over the scores; backward
 * saves q, k, v and the probabilities P and runs four GEMMs on transposed views plus one fused pass
 * dS = P (dP - rowsum(dP P)) / sqrt(Dh):
 * dV = P^T g, dP = g V^T, dQ = dS K, dK = dS^T Q.
 */
public final class ScaledDotProductAttention extends Function {
    private Tensor q, k, v, p;
    private double scale;

    public static Var apply(Var q, Var k, Var v, Tensor mask) {
        String what = "scaled_dot_product_attention of q " + q.shape() + ", k " + k.shape() + ", v " + v.shape();
        if (q.rank() < 2 || k.rank() != q.rank() || v.rank() != q.rank()) throw new IllegalArgumentException(what + ": q, k, v need the same rank >= 2");
        int dh = q.dim(-1), sk = k.dim(-2);
        if (k.dim(-1) != dh) throw new IllegalArgumentException(what + ": q and k head sizes differ");
        if (v.dim(-2) != sk) throw new IllegalArgumentException(what + ": k and v sequence lengths differ");
        for (int i = 0; i < q.rank() - 2; i++) {
            if (k.dim(i) != q.dim(i) || v.dim(i) != q.dim(i)) throw new IllegalArgumentException(what + ": batch dimensions differ");
        }
        ScaledDotProductAttention f = new ScaledDotProductAttention();
        f.connect(q, k, v);
        f.scale = 1.0 / Math.sqrt(dh);
        Tensor probs;
        try (Tensor kt = k.data().mT()) { probs = q.data().matmul(kt); }   // [..,Sq,Sk], contiguous
        maskedSoftmax(probs, mask, f.scale, what);
        Tensor out = probs.matmul(v.data());                                  // [..,Sq,Dh]
        if (f.anyNeedsGrad()) {
            f.p = f.own(probs);
            if (f.needsGrad(1) || f.needsGrad(2)) f.q = f.save(q.data());
            if (f.needsGrad(0)) f.k = f.save(k.data());
            if (f.needsGrad(0) || f.needsGrad(1)) f.v = f.save(v.data());
        } else {
            probs.close();
        }
        return f.output(out);
    }

    /** In place: s = softmax(s * scale + mask) along the last dim. */
    static void maskedSoftmax(Tensor s, Tensor mask, double scale, String what) {
        String op = "scaled_dot_product_attention";
        Rows rs = new Rows(op, s, -1);
        int n = rs.n;
        MaskRows m = mask == null ? null : new MaskRows(what, mask, s);
        Parallel.forRange(rs.rows(), RowKernels.grain(n), (from, to) -> {
            double[] buf = new double[n];
            for (int r = from; r < to; r++) {
                rs.load(r, buf);
                double mx = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    double x = buf[j] * scale;
                    if (m != null) x += m.get(r, j);
                    buf[j] = x;
                    if (x > mx) mx = x;
                }
                if (mx == Double.NEGATIVE_INFINITY) mx = 0; // a fully masked row gives 0/0 = NaN, as torch
                double sum = 0;
                for (int j = 0; j < n; j++) { double e = Math.exp(buf[j] - mx); buf[j] = e; sum += e; }
                double inv = 1.0 / sum;
                for (int j = 0; j < n; j++) buf[j] *= inv;
                rs.store(r, buf);
            }
        });
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dq = null, dk = null, dv = null;
        if (needsGrad(2)) {
            try (Tensor pt = p.mT()) { dv = pt.matmul(g); }                   // [..,Sk,Dh]
        }
        if (needsGrad(0) || needsGrad(1)) {
            Tensor ds;
            try (Tensor vt = v.mT()) { ds = g.matmul(vt); }                   // dP [..,Sq,Sk]
            softmaxBackwardInPlace(p, ds, scale);                              // dS, scaled
            if (needsGrad(0)) dq = ds.matmul(k);                               // [..,Sq,Dh]
            if (needsGrad(1)) {
                try (Tensor dst = ds.mT()) { dk = dst.matmul(q); }             // [..,Sk,Dh]
            }
            ds.close();
        }
        return new Tensor[] {dq, dk, dv};
    }

    /** dp := scale * p (dp - rowsum(dp p)), row by row. */
    private static void softmaxBackwardInPlace(Tensor p, Tensor dp, double scale) {
        String op = "scaled_dot_product_attention backward";
        Tensor pc = Rows.dense(p, dp.dtype());
        try {
            Rows rp = new Rows(op, pc, -1), rd = new Rows(op, dp, -1);
            int n = rp.n;
            Parallel.forRange(rp.rows(), RowKernels.grain(n), (from, to) -> {
                double[] pb = new double[n], db = new double[n];
                for (int r = from; r < to; r++) {
                    rp.load(r, pb);
                    rd.load(r, db);
                    double s = 0;
                    for (int j = 0; j < n; j++) s += db[j] * pb[j];
                    for (int j = 0; j < n; j++) db[j] = scale * pb[j] * (db[j] - s);
                    rd.store(r, db);
                }
            });
        } finally {
            Rows.drop(pc, p);
        }
    }

    /** The additive mask broadcast to the scores' shape, read row by row (any strides, any float dtype). */
    private static final class MaskRows {
        private final double[] values;
        private final int[] rowOffset;
        private final int colStride;

        MaskRows(String what, Tensor mask, Tensor scores) {
            int r = scores.rank();
            if (mask.rank() > r) throw new IllegalArgumentException(what + ": mask " + mask.shape() + " has more dimensions than the scores " + scores.shape());
            try (Tensor e = mask.expand(scores.dims())) {
                // only checks that the mask broadcasts
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(what + ": mask " + mask.shape() + " does not broadcast to the scores " + scores.shape());
            }
            // Read the mask's distinct elements once (it is small: [Sq,Sk] or [B,1,1,Sk]).
            Tensor c = Rows.dense(mask, DType.F64);
            try (Tensor ce = c.expand(scores.dims())) {
                values = c.toDoubleArray();
                int[] st = ce.strides(), dims = ce.dims();
                int rows = scores.numel() / Math.max(1, scores.dim(-1));
                rowOffset = new int[rows];
                for (int row = 0; row < rows; row++) {
                    int rem = row, off = 0;
                    for (int d = r - 2; d >= 0; d--) { off += (rem % dims[d]) * st[d]; rem /= dims[d]; }
                    rowOffset[row] = off;
                }
                colStride = st[r - 1];
            } finally {
                Rows.drop(c, mask);
            }
        }

        double get(int row, int col) { return values[rowOffset[row] + col * colStride]; }
    }
}

package clipcl.tensor;

/**
 * The scalar reference: every op computed element by element in float64 through plain strided
 * indexing. Slow and obviously correct; kept forever as the oracle for the fast backends and used
 * for F64 tensors everywhere.
 */
public class ReferenceBackend implements Backend {
    @Override
    public String name() { return "reference"; }

    @Override
    public Storage allocate(DType dtype, int n) { return HeapStorage.allocate(dtype, n); }

    /** Storage indices of every element of t in row-major order. */
    static int[] offsets(Tensor t) {
        int n = t.numel(), r = t.rank();
        int[] out = new int[n];
        int[] dims = t.dims(), st = t.strides();
        int[] idx = new int[r];
        int p = t.offset();
        for (int i = 0; i < n; i++) {
            out[i] = p;
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < dims[d]) { p += st[d]; break; }
                p -= (dims[d] - 1) * st[d];
                idx[d] = 0;
            }
        }
        return out;
    }

    static double read(HeapStorage h, DType t, int p) {
        return switch (t) {
            case F32 -> h.f32()[p];
            case F64 -> h.f64()[p];
            case I32 -> h.i32()[p];
            case BF16 -> HalfFloats.bf16ToFloat(h.f16bits()[p]);
            case F16 -> Float.float16ToFloat(h.f16bits()[p]);
        };
    }

    static void write(HeapStorage h, DType t, int p, double v) {
        switch (t) {
            case F32 -> h.f32()[p] = (float) v;
            case F64 -> h.f64()[p] = v;
            case I32 -> h.i32()[p] = (int) v;
            case BF16 -> h.f16bits()[p] = HalfFloats.floatToBf16((float) v);
            case F16 -> h.f16bits()[p] = Float.floatToFloat16((float) v);
        }
    }

    /** Row-major element values of t as doubles. */
    static double[] values(Tensor t) {
        HeapStorage h = heap(t);
        int[] off = offsets(t);
        double[] v = new double[off.length];
        DType dt = t.dtype();
        for (int i = 0; i < off.length; i++) v[i] = read(h, dt, off[i]);
        return v;
    }

    /** Writes row-major values into t (rounding to its dtype). */
    static void store(Tensor t, double[] v) {
        HeapStorage h = heap(t);
        int[] off = offsets(t);
        DType dt = t.dtype();
        for (int i = 0; i < off.length; i++) write(h, dt, off[i], v[i]);
    }

    static HeapStorage heap(Tensor t) {
        if (t.storage() instanceof HeapStorage h) return h;
        throw new IllegalStateException("CPU backend given a tensor on " + t.device());
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (!(src.storage() instanceof HeapStorage) || !(dst.storage() instanceof HeapStorage)) {
            throw new IllegalStateException("CPU backend cannot copy between " + src.device() + " and " + dst.device());
        }
        double[] v = values(src);
        if (dst.dtype() == DType.I32 && src.dtype() != DType.I32) for (int i = 0; i < v.length; i++) v[i] = truncToInt(v[i]);
        store(dst, v);
    }

    /** Float to int conversion as torch does it: truncation toward zero. */
    static double truncToInt(double x) { return x < 0 ? Math.ceil(x) : Math.floor(x); }

    @Override
    public void fill(Tensor dst, double value) {
        double[] v = new double[dst.numel()];
        java.util.Arrays.fill(v, value);
        store(dst, v);
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        double[] v = values(x);
        for (int i = 0; i < v.length; i++) v[i] = op.apply(v[i]);
        store(out, v);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        double[] va = values(a), vb = values(b);
        boolean intDiv = out.dtype() == DType.I32 && op == BinaryOp.DIV;
        for (int i = 0; i < va.length; i++) {
            double r = op.apply(va[i], vb[i]);
            va[i] = intDiv ? Math.floor(r) : r;
        }
        store(out, va);
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        double[] c = values(cond), va = values(a), vb = values(b);
        for (int i = 0; i < c.length; i++) va[i] = c[i] != 0 ? va[i] : vb[i];
        store(out, va);
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, int dim, Tensor out) {
        int n = x.dim(dim);
        // Move dim last so each output element owns a contiguous run of n values.
        double[] v;
        try (Tensor xt = x.transpose(dim, -1)) { v = values(xt); }
        int rows = n == 0 ? out.numel() : v.length / n;
        double[] r = new double[rows];
        for (int row = 0; row < rows; row++) {
            int base = row * n;
            double acc;
            switch (op) {
                case SUM -> {
                    acc = 0;
                    for (int j = 0; j < n; j++) acc += v[base + j];
                }
                case MAX, MIN -> {
                    if (n == 0) throw new IllegalArgumentException(op + ": cannot reduce an empty dimension");
                    acc = v[base];
                    for (int j = 1; j < n; j++) {
                        double e = v[base + j];
                        if (e != e || acc != acc) { acc = Double.NaN; continue; }
                        acc = op == ReduceOp.MAX ? Math.max(acc, e) : Math.min(acc, e);
                    }
                }
                default -> {
                    if (n == 0) throw new IllegalArgumentException(op + ": cannot reduce an empty dimension");
                    int best = 0;
                    for (int j = 1; j < n; j++) {
                        double e = v[base + j], cur = v[base + best];
                        if (cur != cur) break;
                        if (e != e || (op == ReduceOp.ARGMAX ? e > cur : e < cur)) best = j;
                    }
                    acc = best;
                }
            }
            r[row] = acc;
        }
        // out's layout with dim moved last matches r's order.
        try (Tensor ot = out.transpose(dim, -1)) { store(ot, r); }
    }

    @Override
    public void softmax(Tensor x, int dim, boolean log, Tensor out) {
        int n = x.dim(dim);
        double[] v;
        try (Tensor xt = x.transpose(dim, -1)) { v = values(xt); }
        int rows = n == 0 ? 0 : v.length / n;
        for (int row = 0; row < rows; row++) {
            int base = row * n;
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) m = Math.max(m, v[base + j]);
            if (m == Double.NEGATIVE_INFINITY) m = 0; // all -inf: exp gives 0/0 = NaN, as torch
            double s = 0;
            for (int j = 0; j < n; j++) s += Math.exp(v[base + j] - m);
            for (int j = 0; j < n; j++) {
                v[base + j] = log ? v[base + j] - m - Math.log(s) : Math.exp(v[base + j] - m) / s;
            }
        }
        try (Tensor ot = out.transpose(dim, -1)) { store(ot, v); }
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out) {
        int n = x.dim(-1);
        double[] v = values(x);
        double[] w = weight == null ? null : values(weight), b = bias == null ? null : values(bias);
        int rows = n == 0 ? 0 : v.length / n;
        for (int row = 0; row < rows; row++) {
            int base = row * n;
            double mean = 0;
            for (int j = 0; j < n; j++) mean += v[base + j];
            mean /= n;
            double var = 0;
            for (int j = 0; j < n; j++) { double d = v[base + j] - mean; var += d * d; }
            var /= n;
            double rstd = 1.0 / Math.sqrt(var + eps);
            for (int j = 0; j < n; j++) {
                double y = (v[base + j] - mean) * rstd;
                if (w != null) y *= w[j];
                if (b != null) y += b[j];
                v[base + j] = y;
            }
        }
        store(out, v);
    }

    @Override
    public void matmul(Tensor a, Tensor bm, Tensor out) {
        int batch = a.dim(0), m = a.dim(1), k = a.dim(2), n = bm.dim(2);
        double[] va = values(a), vb = values(bm);
        double[] r = new double[batch * m * n];
        for (int bi = 0; bi < batch; bi++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += va[(bi * m + i) * k + p] * vb[(bi * k + p) * n + j];
                    r[(bi * m + i) * n + j] = s;
                }
            }
        }
        store(out, r);
    }

    @Override
    public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        int[] idx = index.toIntArray();
        int n = x.dim(dim);
        for (int i = 0; i < idx.length; i++) {
            int k = idx[i] < 0 ? idx[i] + n : idx[i];
            if (k < 0 || k >= n) throw new IndexOutOfBoundsException("index_select: index " + idx[i] + " out of range for dimension " + dim + " of size " + n);
            try (Tensor src = x.select(dim, k); Tensor dst = out.select(dim, i)) { copy(src, dst); }
        }
    }

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        int r = x.rank();
        int[] od = out.dims();
        int[] idxv = index.toIntArray();
        HeapStorage hx = heap(x), ho = heap(out);
        int[] pos = new int[r];
        int n = x.dim(dim);
        for (int flat = 0; flat < idxv.length; flat++) {
            int rem = flat;
            for (int d = r - 1; d >= 0; d--) { pos[d] = rem % od[d]; rem /= od[d]; }
            int k = idxv[flat] < 0 ? idxv[flat] + n : idxv[flat];
            if (k < 0 || k >= n) throw new IndexOutOfBoundsException("gather: index " + idxv[flat] + " out of range for dimension " + dim + " of size " + n);
            int outPos = out.storageIndex(pos);
            pos[dim] = k;
            write(ho, out.dtype(), outPos, read(hx, x.dtype(), x.storageIndex(pos)));
        }
    }

    // ---------------------------------------------------------------- training kernels (host loops in clipcl.tensor.cpu)

    @Override
    public void addInto(Tensor dst, Tensor src) {
        heap(dst);
        heap(src);
        binary(BinaryOp.ADD, dst, src, dst); // in place: each element is read before it is written
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor g, int dim, boolean log, double scale, Tensor dx) {
        clipcl.tensor.cpu.HostTraining.softmaxBackward(y, g, dim, log, scale, dx);
    }

    @Override
    public void maskedSoftmax(Tensor x, Tensor mask, double scale, Tensor out) { clipcl.tensor.cpu.HostTraining.maskedSoftmax(x, mask, scale, out); }

    @Override
    public void layerNormBackward(Tensor g, Tensor x, Tensor weight, double eps, Tensor mean, Tensor rstd, Tensor dx, Tensor dw, Tensor db) {
        clipcl.tensor.cpu.HostTraining.layerNormBackward(g, x, weight, eps, dx, dw, db);
    }

    @Override
    public void crossEntropy(Tensor logits, Tensor targets, Tensor loss, Tensor lse) { clipcl.tensor.cpu.HostTraining.crossEntropy(logits, targets, loss, lse); }

    @Override
    public void crossEntropyBackward(Tensor logits, Tensor targets, Tensor lse, Tensor dloss, Tensor dx) {
        clipcl.tensor.cpu.HostTraining.crossEntropyBackward(logits, targets, lse, dloss, dx);
    }

    @Override
    public void softmaxKl(Tensor oldLogits, Tensor newLogits, double t, Tensor kl) { clipcl.tensor.cpu.HostTraining.softmaxKl(oldLogits, newLogits, t, kl); }

    @Override
    public void softmaxKlBackward(Tensor oldLogits, Tensor newLogits, double t, Tensor dkl, Tensor dOld, Tensor dNew) {
        clipcl.tensor.cpu.HostTraining.softmaxKlBackward(oldLogits, newLogits, t, dkl, dOld, dNew);
    }

    @Override
    public void unaryBackward(UnaryOp op, Tensor saved, Tensor g, Tensor dx) { clipcl.tensor.cpu.HostTraining.unaryBackward(op, saved, g, dx); }

    @Override
    public void clampBackward(Tensor x, Tensor g, double lo, double hi, Tensor dx) { clipcl.tensor.cpu.HostTraining.clampBackward(x, g, lo, hi, dx); }

    @Override
    public void scatterAdd(Tensor dst, int dim, Tensor index, Tensor src) { clipcl.tensor.cpu.HostTraining.scatterAdd(dst, dim, index, src); }

    @Override
    public void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, AdamStep c) { clipcl.tensor.cpu.HostTraining.adamStep(p, g, m, v, c); }

    @Override
    public void sgdStep(Tensor p, Tensor g, Tensor buf, SgdStep c) { clipcl.tensor.cpu.HostTraining.sgdStep(p, g, buf, c); }

    @Override
    public void sumSquares(Tensor x, Tensor out) { clipcl.tensor.cpu.HostTraining.sumSquares(x, out); }
}

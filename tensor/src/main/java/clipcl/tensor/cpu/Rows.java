package clipcl.tensor.cpu;

import clipcl.tensor.DType;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Tensor;

/**
 * Row access for the fused kernels: a contiguous CPU tensor seen as rows of n elements along one
 * dimension (stride `inner` between elements of a row), read into and written from double buffers
 * so one loop serves F32 and F64 and accumulates in double.
 */
final class Rows {
    final Tensor t;
    final int outer, n, inner;
    private final float[] f;
    private final double[] d;
    private final int off;

    /** t must be contiguous; dim is the row dimension. */
    Rows(String op, Tensor t, int dim) {
        if (!t.isContiguous()) throw new IllegalArgumentException(op + ": internal error, rows need a contiguous tensor");
        if (!(t.storage() instanceof HeapStorage h)) throw new IllegalStateException(op + ": needs CPU tensors, got one on " + t.device());
        this.t = t;
        int r = t.rank();
        int dd = r == 0 ? 0 : t.shape().normDim(dim);
        int o = 1, in = 1;
        for (int i = 0; i < dd; i++) o *= t.dim(i);
        for (int i = dd + 1; i < r; i++) in *= t.dim(i);
        outer = o;
        n = r == 0 ? 1 : t.dim(dd);
        inner = in;
        off = t.offset();
        if (t.dtype() == DType.F32) { f = h.f32(); d = null; }
        else if (t.dtype() == DType.F64) { d = h.f64(); f = null; }
        else throw new IllegalArgumentException(op + ": needs F32 or F64, got " + t.dtype());
    }

    int rows() { return outer * inner; }

    /** Storage index of element 0 of row r (rows ordered outer-major). */
    int base(int r) { return off + (r / inner) * n * inner + (r % inner); }

    void load(int r, double[] buf) {
        int p = base(r);
        if (f != null) for (int j = 0; j < n; j++, p += inner) buf[j] = f[p];
        else for (int j = 0; j < n; j++, p += inner) buf[j] = d[p];
    }

    void store(int r, double[] buf) {
        int p = base(r);
        if (f != null) for (int j = 0; j < n; j++, p += inner) f[p] = (float) buf[j];
        else for (int j = 0; j < n; j++, p += inner) d[p] = buf[j];
    }

    /** A contiguous version of t in dtype dt (t itself when it already is one). */
    static Tensor dense(Tensor t, DType dt) {
        Tensor c = t.dtype() == dt ? t : t.to(dt);
        Tensor d = c.contiguous();
        if (d != c && c != t) c.close();
        return d;
    }

    /** Closes c when it is a temporary made from t. */
    static void drop(Tensor c, Tensor t) {
        if (c != null && c != t) c.close();
    }
}

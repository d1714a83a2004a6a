package clipcl.autograd.ops;

import clipcl.tensor.BinaryOp;
import clipcl.tensor.Tensor;

/** The scatter-adds that gather-like ops need in backward. */
final class Scatter {
    private Scatter() { }

    /**
     * out[i_0..index[p]..i_r] += src[p] for every position p of src (index has src's shape and
     * picks along dim): the adjoint of gather. out is a fresh contiguous tensor.
     */
    static void scatterAdd(Tensor out, int dim, Tensor index, Tensor src) {
        if (!index.shape().equals(src.shape())) throw new IllegalArgumentException("scatter_add: index " + index.shape() + " and source " + src.shape() + " differ");
        int r = out.rank();
        int[] idx = index.toIntArray();
        double[] sv = src.toDoubleArray();
        double[] ov = out.toDoubleArray();
        int[] sd = src.dims(), od = out.dims();
        int[] ostr = out.shape().contiguousStrides();
        int n = od[dim];
        int[] pos = new int[r];
        for (int flat = 0; flat < sv.length; flat++) {
            int rem = flat, p = 0;
            for (int d = r - 1; d >= 0; d--) { pos[d] = rem % sd[d]; rem /= sd[d]; }
            int k = idx[flat] < 0 ? idx[flat] + n : idx[flat];
            if (k < 0 || k >= n) throw new IndexOutOfBoundsException("scatter_add: index " + idx[flat] + " out of range for dimension " + dim + " of size " + n);
            for (int d = 0; d < r; d++) p += (d == dim ? k : pos[d]) * ostr[d];
            ov[p] += sv[flat];
        }
        try (Tensor v = Tensor.of(ov, od)) { out.copyFrom(v); }
    }

    /** out.select(dim, index[i]) += src.select(dim, i): the adjoint of index_select (and of embedding). */
    static void indexAdd(Tensor out, int dim, int[] index, Tensor src) {
        int n = out.dim(dim);
        for (int i = 0; i < index.length; i++) {
            int k = index[i] < 0 ? index[i] + n : index[i];
            if (k < 0 || k >= n) throw new IndexOutOfBoundsException("index_add: index " + index[i] + " out of range for dimension " + dim + " of size " + n);
            try (Tensor dst = out.select(dim, k); Tensor s = src.select(dim, i)) {
                // In place: elementwise kernels read each position before writing it.
                out.backend().binary(BinaryOp.ADD, dst, s, dst);
            }
        }
    }
}

package clipcl.tensor.cpu;

import clipcl.tensor.DType;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Tensor;

/**
 * dst[..index[p]..] += src[p] along dim on the CPU, sequentially in src's row-major order (so one
 * destination element receives its contributions in index order: deterministic). dst is
 * contiguous F32 or F64; index and src any strides (a broadcast index serves index_add).
 */
final class ScatterAdd {
    private ScatterAdd() { }

    static void run(Tensor dst, int dim, Tensor index, Tensor src) {
        if (!index.shape().equals(src.shape())) throw new IllegalArgumentException("scatter_add: index " + index.shape() + " and source " + src.shape() + " differ");
        if (!dst.isContiguous()) throw new IllegalArgumentException("scatter_add: destination must be contiguous");
        int r = dst.rank();
        int[] idx = index.toIntArray();
        double[] sv = src.toDoubleArray();
        int[] sd = src.dims(), od = dst.dims();
        int[] ostr = dst.shape().contiguousStrides();
        int n = od[dim], base = dst.offset();
        HeapStorage h = (HeapStorage) dst.storage();
        float[] f = dst.dtype() == DType.F32 ? h.f32() : null;
        double[] d = dst.dtype() == DType.F64 ? h.f64() : null;
        if (f == null && d == null) throw new IllegalArgumentException("scatter_add: destination must be F32 or F64, got " + dst.dtype());
        int[] pos = new int[r];
        for (int flat = 0; flat < sv.length; flat++) {
            int rem = flat, p = base;
            for (int q = r - 1; q >= 0; q--) { pos[q] = rem % sd[q]; rem /= sd[q]; }
            int k = idx[flat] < 0 ? idx[flat] + n : idx[flat];
            if (k < 0 || k >= n) throw new IndexOutOfBoundsException("scatter_add: index " + idx[flat] + " out of range for dimension " + dim + " of size " + n);
            for (int q = 0; q < r; q++) p += (q == dim ? k : pos[q]) * ostr[q];
            if (f != null) f[p] += (float) sv[flat];
            else d[p] += sv[flat];
        }
    }
}

package clipcl.tensor.cpu;

import clipcl.tensor.DType;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Tensor;

/**
 * index_select along dimension 0 (embedding lookup: whole rows copied with System.arraycopy) and
 * gather (one pass over the index, any dtype of one array kind). Index bounds are checked with the
 * reference backend's messages.
 */
final class VecIndex {
    private VecIndex() { }

    static boolean indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        if (x.dtype() != out.dtype() || index.dtype() != DType.I32) return false;
        if (!(x.storage() instanceof HeapStorage hx) || !(out.storage() instanceof HeapStorage ho)
                || !(index.storage() instanceof HeapStorage hi)) return false;
        if (dim != 0 || !rowContiguous(x) || !rowContiguous(out)) return sliceBySlice(x, dim, index, out);
        // Each selected row is one contiguous block in x and in out.
        int rowLen = 1;
        for (int d = 1; d < x.rank(); d++) rowLen *= x.dim(d);
        int[] idx = hi.i32();
        int io = index.offset(), is = index.rank() == 0 ? 0 : index.stride(0), count = index.numel();
        int n = x.dim(0), xs = x.rank() > 0 ? x.stride(0) : 0, os = out.stride(0);
        Object src = VecCopy.array(hx, x.dtype()), dst = VecCopy.array(ho, out.dtype());
        int xo = x.offset(), oo = out.offset(), len = rowLen;
        for (int i = 0; i < count; i++) {
            int raw = idx[io + i * is];
            int k = raw < 0 ? raw + n : raw;
            if (k < 0 || k >= n) throw new IndexOutOfBoundsException("index_select: index " + raw + " out of range for dimension " + dim + " of size " + n);
            if (len > 0) System.arraycopy(src, xo + k * xs, dst, oo + i * os, len);
        }
        return true;
    }

    /** Any dim or layout: one strided copy per selected slice. */
    private static boolean sliceBySlice(Tensor x, int dim, Tensor index, Tensor out) {
        int[] idx = index.toIntArray();
        int n = x.dim(dim);
        for (int i = 0; i < idx.length; i++) {
            int k = idx[i] < 0 ? idx[i] + n : idx[i];
            if (k < 0 || k >= n) throw new IndexOutOfBoundsException("index_select: index " + idx[i] + " out of range for dimension " + dim + " of size " + n);
            try (Tensor src = x.select(dim, k); Tensor dst = out.select(dim, i)) {
                VecCopy.copy(src, dst);
            }
        }
        return true;
    }

    /** Whether every slice t[i] is a contiguous block (dims after the first are row-major, no gaps). */
    private static boolean rowContiguous(Tensor t) {
        int expected = 1;
        for (int d = t.rank() - 1; d >= 1; d--) {
            int size = t.dim(d);
            if (size == 1) continue;
            if (t.stride(d) != expected) return false;
            expected *= size;
        }
        return true;
    }

    static boolean gather(Tensor x, int dim, Tensor index, Tensor out) {
        if (x.dtype() != out.dtype() || index.dtype() != DType.I32) return false;
        if (!(x.storage() instanceof HeapStorage hx) || !(out.storage() instanceof HeapStorage ho)
                || !(index.storage() instanceof HeapStorage hi)) return false;
        if (out.numel() == 0) return true;
        int[] idx = hi.i32();
        int n = x.dim(dim), sd = x.stride(dim);
        // x seen with index's shape and no step along dim: the index supplies that coordinate.
        int[] xs = x.strides();
        xs[dim] = 0;
        Iter it = new Iter(index.dims(), new int[][] {index.strides(), xs, out.strides()},
                new int[] {index.offset(), x.offset(), out.offset()});
        int si = it.innerStride(0), sx = it.innerStride(1), so = it.innerStride(2);
        Object src = VecCopy.array(hx, x.dtype()), dst = VecCopy.array(ho, out.dtype());
        it.forEach(Iter.GRAIN, (off, len) -> {
            for (int j = 0, pi = off[0], px = off[1], po = off[2]; j < len; j++, pi += si, px += sx, po += so) {
                int raw = idx[pi];
                int k = raw < 0 ? raw + n : raw;
                if (k < 0 || k >= n) throw new IndexOutOfBoundsException("gather: index " + raw + " out of range for dimension " + dim + " of size " + n);
                if (src instanceof float[] f) ((float[]) dst)[po] = f[px + k * sd];
                else System.arraycopy(src, px + k * sd, dst, po, 1);
            }
        });
        return true;
    }
}

package clipcl.tensor.cpu;

import clipcl.tensor.DType;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Tensor;

/**
 * Batched F32 matmul [B,M,K] x [B,K,N] -> [B,M,N] through {@link Sgemm#batched} with each operand's
 * own strides, so transposed views (attention's k.mT()) need no copy and a stride-0 batch dimension
 * reuses one right operand for every batch. {@code -Dclipcl.scalar=true} uses the scalar
 * SgemmReference instead.
 */
final class VecMatmul {
    private VecMatmul() { }

    static boolean matmul(Tensor a, Tensor bm, Tensor out) {
        for (Tensor t : new Tensor[] {a, bm, out}) {
            if (t.dtype() != DType.F32 || !(t.storage() instanceof HeapStorage)) return false;
        }
        int batch = a.dim(0), m = a.dim(1), k = a.dim(2), n = bm.dim(2);
        if (batch == 0 || m == 0 || n == 0) return true;
        if (k == 0) return VecCopy.fill(out, 0); // an empty sum
        float[] av = ((HeapStorage) a.storage()).f32(), bv = ((HeapStorage) bm.storage()).f32(), cv = ((HeapStorage) out.storage()).f32();
        int[] sa = a.strides(), sb = bm.strides(), sc = out.strides();
        // out is written row-major: its column stride must be 1 (a fresh output always is).
        if (n > 1 && sc[2] != 1) return false;
        int ldc = m > 1 ? sc[1] : n;
        int ao = a.offset(), bo = bm.offset(), co = out.offset();
        if (VecMath.SCALAR) {
            for (int i = 0; i < batch; i++) {
                SgemmReference.gemm(m, n, k, av, ao + i * sa[0], sa[1], sa[2], bv, bo + i * sb[0], sb[1], sb[2], cv, co + i * sc[0], ldc, false);
            }
            return true;
        }
        // Sgemm.batched threads across the batch for small products (attention heads) and inside
        // each product for large ones; a stride-0 batch of bm reuses one right operand.
        Sgemm.batched(batch, m, n, k, av, ao, sa[0], sa[1], sa[2], bv, bo, sb[0], sb[1], sb[2], cv, co, sc[0], ldc, false);
        return true;
    }
}

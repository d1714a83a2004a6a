package clipcl.tensor.cpu;

import clipcl.tensor.DType;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Parallel;
import clipcl.tensor.Tensor;

/**
 * Batched F32 matmul [B,M,K] x [B,K,N] -> [B,M,N] through {@link Sgemm#gemm} with each operand's
 * own strides, so transposed views (attention's k.mT()) need no copy and a stride-0 batch dimension
 * reuses one right operand for every batch. Small products (attention's 50x64x50 per head) run one
 * whole GEMM per thread across the batch; large ones leave the threading to Sgemm.
 */
final class VecMatmul {
    private VecMatmul() { }

    /** Below this many multiply-adds per GEMM, parallelise across the batch instead of inside a GEMM. */
    static final long SMALL = 1L << 21;

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
        Parallel.RangeBody body = (from, to) -> {
            for (int i = from; i < to; i++) {
                gemm(m, n, k, av, ao + i * sa[0], sa[1], sa[2], bv, bo + i * sb[0], sb[1], sb[2], cv, co + i * sc[0], ldc);
            }
        };
        long work = (long) m * n * k;
        if (batch > 1 && work < SMALL) Parallel.forChunks(batch, (int) Math.max(1, SMALL / Math.max(1, work)), body);
        else body.run(0, batch);
        return true;
    }

    private static void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs, int bCs,
                             float[] c, int cOff, int ldc) {
        if (VecMath.SCALAR) SgemmReference.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, false);
        else Sgemm.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, false);
    }
}

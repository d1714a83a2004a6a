package clipcl.tensor.cpu;

import clipcl.tensor.DType;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Tensor;

/**
 * The F32 fast path of y = x W^T + b on the vector backend: the output rows start as copies of b
 * and one SGEMM adds x W^T into them (no separate bias pass, no temporary). The composed default
 * (matmul + add) is the reference it is tested against; -Dclipcl.scalar=true and other dtypes take
 * that default.
 */
final class CpuLinear {
    private CpuLinear() { }

    static boolean applies(Tensor x, Tensor w, Tensor b, Tensor out) {
        if (VecMath.SCALAR || !out.isContiguous() || out.offset() != 0) return false;
        for (Tensor t : new Tensor[] {x, w, b, out}) {
            if (t != null && (t.dtype() != DType.F32 || !(t.storage() instanceof HeapStorage))) return false;
        }
        return true;
    }

    /** x [M,K], w [N,K], b [N] or null -> out [M,N]; call only when {@link #applies}. */
    static void forward(Tensor x, Tensor w, Tensor b, Tensor out) { forward(x, w, b, out, null); }

    /**
     * QuickGELU(x W^T + b): the activation runs on each tile of the product as its last k-block
     * is stored (in L1), not as another pass over the output. The elements are QuickGELU's array
     * loop's, so the result is the unfused linear then quick_gelu's.
     */
    static void forwardQuickGelu(Tensor x, Tensor w, Tensor b, Tensor out) {
        forward(x, w, b, out, (c, off, len) -> VecMath.quickGelu(c, off, c, off, len));
    }

    private static void forward(Tensor x, Tensor w, Tensor b, Tensor out, Sgemm.Epilogue epi) {
        int m = x.dim(0), k = x.dim(1), n = w.dim(0);
        float[] ya = ((HeapStorage) out.storage()).f32();
        if (b != null) {
            float[] bias = b.toFloatArray();
            for (int i = 0; i < m; i++) System.arraycopy(bias, 0, ya, i * n, n);
        }
        float[] xa = ((HeapStorage) x.storage()).f32(), wa = ((HeapStorage) w.storage()).f32();
        // B = W^T: element (kk, j) is W[j, kk], so B's row stride is W's column stride and vice versa.
        Sgemm.gemm(m, n, k, xa, x.offset(), x.stride(0), x.stride(1), wa, w.offset(), w.stride(1), w.stride(0),
                ya, 0, n, b != null, epi);
    }
}

package clipcl.autograd.ops;

import clipcl.tensor.DType;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Tensor;
import clipcl.tensor.cpu.Sgemm;
import clipcl.tensor.cpu.VecMath;

/**
 * The F32 CPU fast path of y = x W^T + b: the output rows start as copies of b and one SGEMM adds
 * x W^T into them (no separate bias pass, no temporary). Used only when the vector backend runs
 * (so -Dclipcl.backend=reference keeps everything on the reference); the composed path
 * (matmul + add) is the reference it is tested against.
 */
final class CpuLinear {
    private CpuLinear() { }

    static boolean applies(Tensor x, Tensor w, Tensor b) {
        if (VecMath.SCALAR || !x.backend().name().equals("vector")) return false;
        for (Tensor t : new Tensor[] {x, w, b}) {
            if (t != null && (t.dtype() != DType.F32 || !(t.storage() instanceof HeapStorage))) return false;
        }
        return true;
    }

    /** x [..,K], w [N,K], b [N] or null -> [..,N]; call only when {@link #applies}. */
    static Tensor forward(Tensor x, Tensor w, Tensor b) {
        int k = x.dim(-1), n = w.dim(0);
        int[] outDims = x.dims();
        outDims[outDims.length - 1] = n;
        try (Tensor x2 = x.reshape(-1, k)) {                    // a view unless x's rows cannot flatten
            int m = x2.dim(0);
            Tensor y = Tensor.empty(DType.F32, m, n);
            float[] ya = ((HeapStorage) y.storage()).f32();
            if (b != null) {
                float[] bias = b.toFloatArray();
                for (int i = 0; i < m; i++) System.arraycopy(bias, 0, ya, i * n, n);
            }
            float[] xa = ((HeapStorage) x2.storage()).f32(), wa = ((HeapStorage) w.storage()).f32();
            // B = W^T: element (kk, j) is W[j, kk], so B's row stride is W's column stride and vice versa.
            Sgemm.gemm(m, n, k, xa, x2.offset(), x2.stride(0), x2.stride(1), wa, w.offset(), w.stride(1), w.stride(0),
                    ya, 0, n, b != null);
            Tensor out = y.reshape(outDims);
            y.close();
            return out;
        }
    }
}

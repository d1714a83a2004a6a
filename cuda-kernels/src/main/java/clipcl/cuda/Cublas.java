package clipcl.cuda;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/** A cuBLAS handle bound to one stream; every status is checked. */
final class Cublas implements AutoCloseable {
    private final cublasContext handle = new cublasContext();
    private final FloatPointer one = new FloatPointer(1).put(1.0f), zero = new FloatPointer(1).put(0.0f);
    // cuBLAS picks its GEMM kernels among those that fit the workspace it is given; PyTorch gives
    // it 32 MiB on Hopper (CUBLAS_WORKSPACE_CONFIG's default there), so the same here.
    static final long WORKSPACE_BYTES = 32L << 20;
    private final Pointer workspace = new Pointer();
    private boolean closed;

    Cublas(CUstream_st stream) {
        Check.blas(cublas.cublasCreate_v2(handle), "cublasCreate");
        Check.blas(cublas.cublasSetStream_v2(handle, stream), "cublasSetStream");
        Check.rt(cudart.cudaMalloc(workspace, WORKSPACE_BYTES), "cudaMalloc(cuBLAS workspace, " + WORKSPACE_BYTES + " bytes)");
        Check.blas(cublas.cublasSetWorkspace_v2(handle, workspace, WORKSPACE_BYTES), "cublasSetWorkspace");
    }

    /**
     * out[b] = a[b] @ bm[b] for all b, per {@link GemmPlan} (whose comment derives the
     * row-major to column-major mapping: C^T = B^T A^T, bm's memory first). x and y are the device
     * addresses of bm's and a's first elements, c of out's; inputs are F32, or BF16 when
     * {@code bf16Inputs} (already converted by the caller), output F32 (or BF16 when {@code bf16Output},
     * from BF16 inputs only), accumulation FP32.
     */
    void gemm(GemmPlan p, long x, long y, long c, MatmulPrecision precision, boolean bf16Inputs, boolean bf16Output) {
        int opX = p.transX() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
        int opY = p.transY() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
        int inType = bf16Inputs ? cudart.CUDA_R_16BF : cudart.CUDA_R_32F;
        int outType = bf16Output ? cudart.CUDA_R_16BF : cudart.CUDA_R_32F;
        int compute = precision == MatmulPrecision.TF32 ? cublas.CUBLAS_COMPUTE_32F_FAST_TF32 : cublas.CUBLAS_COMPUTE_32F;
        // One product goes through cublasGemmEx, as PyTorch's matmul does: its kernel choice for a
        // single GEMM may differ from the strided-batched call's with a batch of one.
        boolean single = p.batch() == 1 && !stridedBatchedAlways;
        int s = single
                ? cublas.cublasGemmEx(handle, opX, opY, p.m(), p.n(), p.k(), one,
                        new DevicePointer(x), inType, p.ldX(), new DevicePointer(y), inType, p.ldY(), zero,
                        new DevicePointer(c), outType, p.ldC(), compute, cublas.CUBLAS_GEMM_DEFAULT)
                : cublas.cublasGemmStridedBatchedEx(handle, opX, opY, p.m(), p.n(), p.k(), one,
                        new DevicePointer(x), inType, p.ldX(), p.strideX(),
                        new DevicePointer(y), inType, p.ldY(), p.strideY(), zero,
                        new DevicePointer(c), outType, p.ldC(), p.strideC(),
                        p.batch(), compute, cublas.CUBLAS_GEMM_DEFAULT);
        if (s != cublas.CUBLAS_STATUS_SUCCESS) {
            Check.blas(s, (single ? "cublasGemmEx(" : "cublasGemmStridedBatchedEx(") + precision + (bf16Inputs ? ", BF16 in" : "")
                    + (bf16Output ? ", BF16 out" : "") + ", m=" + p.m() + " n=" + p.n() + " k=" + p.k() + " batch=" + p.batch()
                    + ", opX=" + (p.transX() ? "T" : "N") + " opY=" + (p.transY() ? "T" : "N")
                    + ", ldX=" + p.ldX() + " ldY=" + p.ldY() + " ldC=" + p.ldC() + ")");
        }
    }

    /** Benchmarks only: route single products through the strided-batched call too, to compare the two. */
    static volatile boolean stridedBatchedAlways;

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Check.blas(cublas.cublasDestroy_v2(handle), "cublasDestroy");
        Check.rt(cudart.cudaFree(workspace), "cudaFree(cuBLAS workspace)");
        one.close();
        zero.close();
    }
}

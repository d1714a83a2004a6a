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
        boolean tf32 = precision == MatmulPrecision.TF32;
        int compute = tf32 ? cublas.CUBLAS_COMPUTE_32F_FAST_TF32 : cublas.CUBLAS_COMPUTE_32F;
        // The calls PyTorch makes: F32 products through cublasSgemm (TF32 by the handle's math mode),
        // a single BF16 product through cublasGemmEx, batches through the strided-batched calls.
        // cuBLAS's kernel choice differs between these entry points for the same shapes.
        Call call = route != null ? route : !bf16Inputs && !bf16Output ? Call.SGEMM : p.batch() == 1 ? Call.GEMM_EX : Call.STRIDED_EX;
        if (call == Call.GEMM_EX && p.batch() != 1) call = Call.STRIDED_EX;
        if (call == Call.SGEMM && (bf16Inputs || bf16Output)) call = Call.STRIDED_EX;
        DevicePointer dx = new DevicePointer(x), dy = new DevicePointer(y), dc = new DevicePointer(c);
        long t0 = CudaProfile.start();
        int s = switch (call) {
            case SGEMM -> {
                setMathMode(tf32 ? cublas.CUBLAS_TF32_TENSOR_OP_MATH : cublas.CUBLAS_DEFAULT_MATH);
                yield p.batch() == 1
                        ? cublas.cublasSgemm_v2(handle, opX, opY, p.m(), p.n(), p.k(), one, new FloatPointer(dx), p.ldX(),
                                new FloatPointer(dy), p.ldY(), zero, new FloatPointer(dc), p.ldC())
                        : cublas.cublasSgemmStridedBatched(handle, opX, opY, p.m(), p.n(), p.k(), one, new FloatPointer(dx), p.ldX(), p.strideX(),
                                new FloatPointer(dy), p.ldY(), p.strideY(), zero, new FloatPointer(dc), p.ldC(), p.strideC(), p.batch());
            }
            case GEMM_EX -> cublas.cublasGemmEx(handle, opX, opY, p.m(), p.n(), p.k(), one, dx, inType, p.ldX(), dy, inType, p.ldY(), zero,
                    dc, outType, p.ldC(), compute, cublas.CUBLAS_GEMM_DEFAULT);
            case STRIDED_EX -> cublas.cublasGemmStridedBatchedEx(handle, opX, opY, p.m(), p.n(), p.k(), one,
                    dx, inType, p.ldX(), p.strideX(), dy, inType, p.ldY(), p.strideY(), zero,
                    dc, outType, p.ldC(), p.strideC(), p.batch(), compute, cublas.CUBLAS_GEMM_DEFAULT);
        };
        if (s != cublas.CUBLAS_STATUS_SUCCESS) {
            Check.blas(s, call + "(" + precision + (bf16Inputs ? ", BF16 in" : "") + (bf16Output ? ", BF16 out" : "")
                    + ", m=" + p.m() + " n=" + p.n() + " k=" + p.k() + " batch=" + p.batch()
                    + ", opX=" + (p.transX() ? "T" : "N") + " opY=" + (p.transY() ? "T" : "N")
                    + ", ldX=" + p.ldX() + " ldY=" + p.ldY() + " ldC=" + p.ldC() + ")");
        }
        if (CudaProfile.ON) {
            CudaProfile.end("cublas " + call + " " + (bf16Inputs ? "bf16" : precision.name().toLowerCase(java.util.Locale.ROOT))
                    + (bf16Output ? "->bf16" : "") + " " + p.m() + "x" + p.n() + "x" + p.k() + (p.batch() > 1 ? " batch " + p.batch() : "")
                    + (p.transX() ? " T" : " N") + (p.transY() ? "T" : "N"), t0);
        }
    }

    /** The cuBLAS entry point of a product. */
    enum Call { SGEMM, GEMM_EX, STRIDED_EX }

    /** Benchmarks only: force one entry point (null: the default choice above), to compare them. */
    static volatile Call route;

    private int mathMode = -1;

    private void setMathMode(int mode) {
        if (mode == mathMode) return;
        Check.blas(cublas.cublasSetMathMode(handle, mode), "cublasSetMathMode(" + mode + ")");
        mathMode = mode;
    }

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

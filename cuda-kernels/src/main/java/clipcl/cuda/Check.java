package clipcl.cuda;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;

/** Turns every status code into a {@link CudaException} that names the call. */
final class Check {
    private Check() { }

    /** A CUDA runtime API status (cudaError_t). */
    static void rt(int status, String call) {
        if (status != cudart.cudaSuccess) throw new CudaException(call, status, str(cudart.cudaGetErrorName(status)) + ": " + str(cudart.cudaGetErrorString(status)));
    }

    /** A CUDA driver API status (CUresult). */
    static void drv(int status, String call) {
        if (status != cudart.CUDA_SUCCESS) {
            BytePointer name = new BytePointer((BytePointer) null);  // set to a static string by the driver
            String n = cudart.cuGetErrorName(status, name) == cudart.CUDA_SUCCESS ? str(name) : "";
            throw new CudaException(call, status, n);
        }
    }

    /** A cuBLAS status (cublasStatus_t). */
    static void blas(int status, String call) {
        if (status != cublas.CUBLAS_STATUS_SUCCESS) throw new CudaException(call, status, str(cublas.cublasGetStatusName(status)) + ": " + str(cublas.cublasGetStatusString(status)));
    }

    private static String str(BytePointer p) {
        return p == null || p.isNull() ? "" : p.getString();
    }
}

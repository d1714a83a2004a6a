package clipcl.cuda;

import java.util.Locale;

/**
 * How cuBLAS multiplies F32 tensors. All three accumulate in FP32.
 * <ul>
 * <li>FP32: full single precision (CUBLAS_COMPUTE_32F); relative error ~1e-6.
 * <li>TF32: inputs rounded to TF32 (10-bit mantissa) inside the tensor cores
 *     (CUBLAS_COMPUTE_32F_FAST_TF32), as torch.backends.cuda.matmul.allow_tf32; ~3e-4.
 * <li>BF16: inputs converted to BF16 by our kernel, then a BF16 GEMM with FP32 output: the
 *     matmul half of BF16 autocast (FP32 master weights stay FP32); ~1e-2.
 * </ul>
 * Default from {@code -Dclipcl.cuda.matmul=fp32|tf32|bf16} (fp32 if unset).
 */
public enum MatmulPrecision {
    FP32, TF32, BF16;

    static MatmulPrecision fromProperty() {
        String s = System.getProperty("clipcl.cuda.matmul", "fp32").trim().toUpperCase(Locale.ROOT);
        try {
            return valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad -Dclipcl.cuda.matmul=" + s + ": expected fp32, tf32 or bf16");
        }
    }
}

package clipcl.tensor.cpu;

/**
 * Single-precision matrix product on the CPU: C[m,n] (+)= A[m,k] * B[k,n] with every operand given
 * by (array, offset, row stride, column stride), so transposed and otherwise strided views need no
 * copy. C is row-major with leading dimension ldc.
 */
public final class Sgemm {
    private Sgemm() { }

    public static void gemm(int m, int n, int k,
                            float[] a, int aOff, int aRs, int aCs,
                            float[] b, int bOff, int bRs, int bCs,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        SgemmReference.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
    }
}

package clipcl.tensor.cpu;

/** The scalar SGEMM that the fast kernel is checked against: i-p-j loops, float accumulation. */
public final class SgemmReference {
    private SgemmReference() { }

    public static void gemm(int m, int n, int k,
                            float[] a, int aOff, int aRs, int aCs,
                            float[] b, int bOff, int bRs, int bCs,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int crow = cOff + i * ldc;
            if (!accumulate) java.util.Arrays.fill(c, crow, crow + n, 0f);
            for (int p = 0; p < k; p++) {
                float av = a[aOff + i * aRs + p * aCs];
                int brow = bOff + p * bRs;
                for (int j = 0; j < n; j++) c[crow + j] += av * b[brow + j * bCs];
            }
        }
    }
}

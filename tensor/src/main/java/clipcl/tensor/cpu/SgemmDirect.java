package clipcl.tensor.cpu;

import static clipcl.tensor.cpu.SgemmKernel.L;
import static clipcl.tensor.cpu.SgemmKernel.S;

import jdk.incubator.vector.FloatVector;

/**
 * Unpacked i-p-j SGEMM for products too small to repay packing, and for single rows (m = 1), where
 * each element of B is used once and a packed copy would only double the memory traffic.
 */
final class SgemmDirect {
    private SgemmDirect() { }

    static void gemm(int m, int n, int k,
                     float[] a, int aOff, int aRs, int aCs,
                     float[] b, int bOff, int bRs, int bCs,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        int nv = bCs == 1 ? S.loopBound(n) : 0;
        for (int i = 0; i < m; i++) {
            int crow = cOff + i * ldc;
            if (!accumulate) java.util.Arrays.fill(c, crow, crow + n, 0f);
            for (int p = 0; p < k; p++) {
                float av = a[aOff + i * aRs + p * aCs];
                int brow = bOff + p * bRs;
                if (nv > 0) {
                    FloatVector va = FloatVector.broadcast(S, av);
                    for (int j = 0; j < nv; j += L) {
                        va.fma(FloatVector.fromArray(S, b, brow + j), FloatVector.fromArray(S, c, crow + j))
                                .intoArray(c, crow + j);
                    }
                }
                for (int j = nv; j < n; j++) c[crow + j] = Math.fma(av, b[brow + j * bCs], c[crow + j]);
            }
        }
    }
}

package clipcl.tensor.cpu;

import static clipcl.tensor.cpu.SgemmKernel.L;
import static clipcl.tensor.cpu.SgemmKernel.S;

import jdk.incubator.vector.FloatVector;

/**
 * Unpacked i-p-j SGEMM for products too small to repay packing, and for single rows (m = 1), where
 * each element of B is used once and a packed copy would only double the memory traffic. Sums run
 * over the same k-blocks as the packed path (FMA chain from zero per block, then added to C), so
 * an element of C gets the same bits whichever path computes it.
 */
final class SgemmDirect {
    private SgemmDirect() { }

    /** kc: the variant's k-block depth, so that the sums group as on the packed path. */
    static void gemm(int kc, int m, int n, int k,
                     float[] a, int aOff, int aRs, int aCs,
                     float[] b, int bOff, int bRs, int bCs,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        int kcMax = Sgemm.kBlock(k, kc);
        int n4 = bCs == 1 ? n - n % (4 * L) : 0, n1 = bCs == 1 ? S.loopBound(n) : 0;
        for (int i = 0; i < m; i++) {
            int crow = cOff + i * ldc, arow = aOff + i * aRs;
            for (int pc = 0; pc < k; pc += kcMax) {
                int pEnd = Math.min(k, pc + kcMax);
                boolean add = accumulate || pc > 0;
                // Four vector accumulators held in registers across p: independent FMA chains.
                for (int j = 0; j < n4; j += 4 * L) {
                    FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                    for (int p = pc; p < pEnd; p++) {
                        FloatVector av = FloatVector.broadcast(S, a[arow + p * aCs]);
                        int bi = bOff + p * bRs + j;
                        s0 = av.fma(FloatVector.fromArray(S, b, bi), s0);
                        s1 = av.fma(FloatVector.fromArray(S, b, bi + L), s1);
                        s2 = av.fma(FloatVector.fromArray(S, b, bi + 2 * L), s2);
                        s3 = av.fma(FloatVector.fromArray(S, b, bi + 3 * L), s3);
                    }
                    int cj = crow + j;
                    if (add) {
                        s0 = s0.add(FloatVector.fromArray(S, c, cj));
                        s1 = s1.add(FloatVector.fromArray(S, c, cj + L));
                        s2 = s2.add(FloatVector.fromArray(S, c, cj + 2 * L));
                        s3 = s3.add(FloatVector.fromArray(S, c, cj + 3 * L));
                    }
                    s0.intoArray(c, cj);
                    s1.intoArray(c, cj + L);
                    s2.intoArray(c, cj + 2 * L);
                    s3.intoArray(c, cj + 3 * L);
                }
                for (int j = n4; j < n1; j += L) {
                    FloatVector s0 = FloatVector.zero(S);
                    for (int p = pc; p < pEnd; p++) {
                        s0 = FloatVector.broadcast(S, a[arow + p * aCs]).fma(FloatVector.fromArray(S, b, bOff + p * bRs + j), s0);
                    }
                    if (add) s0 = s0.add(FloatVector.fromArray(S, c, crow + j));
                    s0.intoArray(c, crow + j);
                }
                for (int j = n1; j < n; j++) {
                    float s0 = 0f;
                    for (int p = pc; p < pEnd; p++) s0 = Math.fma(a[arow + p * aCs], b[bOff + p * bRs + j * bCs], s0);
                    c[crow + j] = add ? c[crow + j] + s0 : s0;
                }
            }
        }
    }
}

package clipcl.tensor.cpu;

import static clipcl.tensor.cpu.SgemmKernel.L;
import static clipcl.tensor.cpu.SgemmKernel.MR;
import static clipcl.tensor.cpu.SgemmKernel.NR;
import static clipcl.tensor.cpu.SgemmKernel.S;

import jdk.incubator.vector.FloatVector;

/**
 * SGEMM for products whose A is small and whose depth fits one k-block (attention scores
 * [50,64]x[64,50], per-head products): packing A would cost as much as the product itself, so
 * the micro-kernel reads row-major A where it lies (any row stride) and only B is packed. The arithmetic per element of C is the same FMA
 * chain as {@link SgemmKernel#tile}, so results match the packed path bit for bit.
 */
final class SgemmSmall {
    /** A at most this many floats (fits L1/L2 wherever its rows lie) takes this path. */
    static final int MAX_A = 1 << 14;

    private SgemmSmall() { }

    /** Row-major A (unit column stride), one k-block of the variant, and small. */
    static boolean applies(int m, int k, int aCs, int kc) {
        return aCs == 1 && k <= kc && (long) m * k <= MAX_A;
    }

    static void gemm(int m, int n, int k,
                     float[] a, int aOff, int aRs, int aCs,
                     float[] b, int bOff, int bRs, int bCs,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        int panels = Sgemm.ceilDiv(n, NR);
        SgemmWorkspace ws = SgemmWorkspace.get();
        float[] pb = ws.b(k * panels * NR), scratch = ws.scratch();
        SgemmPack.packB(k, n, b, bOff, bRs, bCs, 0, 0, pb, NR);
        for (int jr = 0; jr < n; jr += NR) {
            int nr = Math.min(NR, n - jr), bo = (jr / NR) * k * NR;
            for (int ir = 0; ir < m; ir += MR) {
                int mr = Math.min(MR, m - ir), last = mr - 1;
                // Rows past the edge re-read the last real row; their sums are never stored.
                int r0 = aOff + ir * aRs, r1 = r0 + Math.min(1, last) * aRs, r2 = r0 + Math.min(2, last) * aRs;
                int r3 = r0 + Math.min(3, last) * aRs, r4 = r0 + Math.min(4, last) * aRs, r5 = r0 + Math.min(5, last) * aRs;
                int co = cOff + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    tile(k, a, r0, r1, r2, r3, r4, r5, pb, bo, c, co, ldc, accumulate);
                } else {
                    tile(k, a, r0, r1, r2, r3, r4, r5, pb, bo, scratch, 0, NR, false);
                    SgemmKernel.copyEdge(scratch, NR, c, co, ldc, mr, nr, accumulate);
                }
            }
        }
    }

    /**
     * Rows r of A start at a[rR] (unit column stride), B packed; writes the full MR x NR tile
     * at c[co], row stride ldc (C itself, or scratch for an edge tile). The masked stores an edge
     * would need push this method past C2's node budget for inlining, so they live elsewhere.
     */
    static void tile(int kc, float[] a, int r0, int r1, int r2, int r3, int r4, int r5,
                     float[] bp, int bo, float[] c, int co, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        // Indices linear in p with constant scales: C2 hoists every bounds check out of the loop
        // (with a variable stride it cannot, and the checks then cost a third of the throughput).
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector x = FloatVector.broadcast(S, a[r0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[r1 + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[r2 + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[r3 + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[r4 + p]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[r5 + p]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        SgemmKernel.store(c00, c01, c, co, add);
        SgemmKernel.store(c10, c11, c, co + ldc, add);
        SgemmKernel.store(c20, c21, c, co + 2 * ldc, add);
        SgemmKernel.store(c30, c31, c, co + 3 * ldc, add);
        SgemmKernel.store(c40, c41, c, co + 4 * ldc, add);
        SgemmKernel.store(c50, c51, c, co + 5 * ldc, add);
    }
}

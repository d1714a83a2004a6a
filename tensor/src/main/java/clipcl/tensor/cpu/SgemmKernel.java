package clipcl.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled micro-kernel: an MR x NR tile of C from a packed A micro-panel (kc x MR,
 * p-major) and a packed B micro-panel (kc x NR, p-major). MR = 6 rows by NR = 2 vectors keeps 12
 * accumulators live; measured here, tiles with 16 or more accumulators grow the method past what
 * C2 inlines and the Vector API calls then fall back to boxed objects, which collapses throughput.
 */
final class SgemmKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 6;
    static final int NR = 2 * L;

    private SgemmKernel() { }

    /**
     * C[0..MR, 0..NR] at c[co + r*ldc + j] = (add ? C : 0) + sum_p A[r,p] * B[p,j]. The full tile
     * of C must be in bounds; edge tiles go through a scratch tile (see {@link #edge}).
     */
    static void tile(int kc, float[] ap, int ao, float[] bp, int bo,
                     float[] c, int co, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR, ai = ao + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
        }
        store(c00, c01, c, co, add);
        store(c10, c11, c, co + ldc, add);
        store(c20, c21, c, co + 2 * ldc, add);
        store(c30, c31, c, co + 3 * ldc, add);
        store(c40, c41, c, co + 4 * ldc, add);
        store(c50, c51, c, co + 5 * ldc, add);
    }

    static void store(FloatVector v0, FloatVector v1, float[] c, int co, boolean add) {
        if (add) {
            v0 = v0.add(FloatVector.fromArray(S, c, co));
            v1 = v1.add(FloatVector.fromArray(S, c, co + L));
        }
        v0.intoArray(c, co);
        v1.intoArray(c, co + L);
    }

    /**
     * C[0..mr, 0..nr] (+)= a scratch tile of any kernel (row stride {@code stride}, a multiple of
     * L), with lane masks past the right edge.
     */
    static void copyEdge(float[] scratch, int stride, float[] c, int co, int ldc, int mr, int nr, boolean add) {
        for (int r = 0; r < mr; r++) {
            int row = co + r * ldc, s = r * stride;
            for (int h = 0; h < nr; h += L) {
                VectorMask<Float> m = S.indexInRange(h, nr);
                FloatVector v = FloatVector.fromArray(S, scratch, s + h);
                if (add) v = v.add(FloatVector.fromArray(S, c, row + h, m));
                v.intoArray(c, row + h, m);
            }
        }
    }
}

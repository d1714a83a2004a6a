package clipcl.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 6 x 2-vector tile of {@link SgemmKernel} on 256-bit vectors. On CPUs whose FMA units are
 * 256 bits wide and split each 512-bit FMA in two, the narrower tile needs half the packed B panel
 * (so a deeper k-block fits a 32 KB L1d) for the same FMA throughput.
 */
final class SgemmKernelHalf {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    static final int L = S.length();
    static final int MR = 6;
    static final int NR = 2 * L;

    private SgemmKernelHalf() { }

    /** As {@link SgemmKernel#tile}; the whole MR x NR tile of C must be in bounds. */
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

    private static void store(FloatVector v0, FloatVector v1, float[] c, int co, boolean add) {
        if (add) {
            v0 = v0.add(FloatVector.fromArray(S, c, co));
            v1 = v1.add(FloatVector.fromArray(S, c, co + L));
        }
        v0.intoArray(c, co);
        v1.intoArray(c, co + L);
    }
}

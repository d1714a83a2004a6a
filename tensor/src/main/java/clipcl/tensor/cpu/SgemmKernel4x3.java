package clipcl.tensor.cpu;

import static clipcl.tensor.cpu.SgemmKernel.L;
import static clipcl.tensor.cpu.SgemmKernel.S;

import jdk.incubator.vector.FloatVector;

/**
 * A 4 x 3-vector register tile: the same 12 accumulators as {@link SgemmKernel}'s 6 x 2, but
 * 3 loads and 4 broadcasts per 12 FMAs instead of 2 and 6, which suits CPUs whose broadcasts
 * compete with the FMAs for ports. Packed A panels are 4 rows, packed B panels 3 vectors wide.
 */
final class SgemmKernel4x3 {
    static final int MR = 4;
    static final int NR = 3 * L;

    private SgemmKernel4x3() { }

    /** As {@link SgemmKernel#tile}; the whole MR x NR tile of C must be in bounds. */
    static void tile(int kc, float[] ap, int ao, float[] bp, int bo,
                     float[] c, int co, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR, ai = ao + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
            FloatVector a = FloatVector.broadcast(S, ap[ai]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02);
            a = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12);
            a = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21); c22 = a.fma(b2, c22);
            a = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31); c32 = a.fma(b2, c32);
        }
        store(c00, c01, c02, c, co, add);
        store(c10, c11, c12, c, co + ldc, add);
        store(c20, c21, c22, c, co + 2 * ldc, add);
        store(c30, c31, c32, c, co + 3 * ldc, add);
    }

    private static void store(FloatVector v0, FloatVector v1, FloatVector v2, float[] c, int co, boolean add) {
        if (add) {
            v0 = v0.add(FloatVector.fromArray(S, c, co));
            v1 = v1.add(FloatVector.fromArray(S, c, co + L));
            v2 = v2.add(FloatVector.fromArray(S, c, co + 2 * L));
        }
        v0.intoArray(c, co);
        v1.intoArray(c, co + L);
        v2.intoArray(c, co + 2 * L);
    }
}

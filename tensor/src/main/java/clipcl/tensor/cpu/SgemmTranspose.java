package clipcl.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * In-register transpose of a 16 x 16 float block (AVX-512), for packing operands stored
 * transposed. Four stages; stage b swaps element (i, l) with (i^s, l^s), s = 2^b, wherever bit b
 * of i and of l differ, each output row being one two-source permute (vpermt2ps) of a row pair.
 * After the four stages element (i, l) sits at (l, i). Other vector widths take the scalar loop.
 */
final class SgemmTranspose {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final boolean VECTOR = S.length() == 16;
    // Permute indices per stage as constants (static final fields keep their exact vector type,
    // which C2 needs to intrinsify the permutes).
    private static final FloatVector LO0 = index(0, true), HI0 = index(0, false);
    private static final FloatVector LO1 = index(1, true), HI1 = index(1, false);
    private static final FloatVector LO2 = index(2, true), HI2 = index(2, false);
    private static final FloatVector LO3 = index(3, true), HI3 = index(3, false);

    /** Lane l of the low (high) output of stage b: an index into the concatenated pair of rows. */
    private static FloatVector index(int b, boolean low) {
        int n = S.length(), s = 1 << b;
        float[] x = new float[n];
        for (int l = 0; l < n; l++) {
            boolean first = (l & s) == 0;
            x[l] = low ? (first ? l : n + l - s) : (first ? l + s : n + l);
        }
        return FloatVector.fromArray(S, x, 0);
    }

    private SgemmTranspose() { }

    /** dst[dOff + c*dStride + r] = src[sOff + r*sStride + c] for r, c in [0, L). */
    static void block(float[] src, int sOff, int sStride, float[] dst, int dOff, int dStride) {
        if (!VECTOR) {
            int n = S.length();
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) dst[dOff + c * dStride + r] = src[sOff + r * sStride + c];
            }
            return;
        }
        FloatVector v0 = FloatVector.fromArray(S, src, sOff);
        FloatVector v1 = FloatVector.fromArray(S, src, sOff + 1 * sStride);
        FloatVector v2 = FloatVector.fromArray(S, src, sOff + 2 * sStride);
        FloatVector v3 = FloatVector.fromArray(S, src, sOff + 3 * sStride);
        FloatVector v4 = FloatVector.fromArray(S, src, sOff + 4 * sStride);
        FloatVector v5 = FloatVector.fromArray(S, src, sOff + 5 * sStride);
        FloatVector v6 = FloatVector.fromArray(S, src, sOff + 6 * sStride);
        FloatVector v7 = FloatVector.fromArray(S, src, sOff + 7 * sStride);
        FloatVector v8 = FloatVector.fromArray(S, src, sOff + 8 * sStride);
        FloatVector v9 = FloatVector.fromArray(S, src, sOff + 9 * sStride);
        FloatVector v10 = FloatVector.fromArray(S, src, sOff + 10 * sStride);
        FloatVector v11 = FloatVector.fromArray(S, src, sOff + 11 * sStride);
        FloatVector v12 = FloatVector.fromArray(S, src, sOff + 12 * sStride);
        FloatVector v13 = FloatVector.fromArray(S, src, sOff + 13 * sStride);
        FloatVector v14 = FloatVector.fromArray(S, src, sOff + 14 * sStride);
        FloatVector v15 = FloatVector.fromArray(S, src, sOff + 15 * sStride);
        FloatVector lo = LO0, hi = HI0;
        FloatVector t0 = lo.selectFrom(v0, v1);
        FloatVector t1 = hi.selectFrom(v0, v1);
        FloatVector t2 = lo.selectFrom(v2, v3);
        FloatVector t3 = hi.selectFrom(v2, v3);
        FloatVector t4 = lo.selectFrom(v4, v5);
        FloatVector t5 = hi.selectFrom(v4, v5);
        FloatVector t6 = lo.selectFrom(v6, v7);
        FloatVector t7 = hi.selectFrom(v6, v7);
        FloatVector t8 = lo.selectFrom(v8, v9);
        FloatVector t9 = hi.selectFrom(v8, v9);
        FloatVector t10 = lo.selectFrom(v10, v11);
        FloatVector t11 = hi.selectFrom(v10, v11);
        FloatVector t12 = lo.selectFrom(v12, v13);
        FloatVector t13 = hi.selectFrom(v12, v13);
        FloatVector t14 = lo.selectFrom(v14, v15);
        FloatVector t15 = hi.selectFrom(v14, v15);
        lo = LO1;
        hi = HI1;
        v0 = lo.selectFrom(t0, t2);
        v2 = hi.selectFrom(t0, t2);
        v1 = lo.selectFrom(t1, t3);
        v3 = hi.selectFrom(t1, t3);
        v4 = lo.selectFrom(t4, t6);
        v6 = hi.selectFrom(t4, t6);
        v5 = lo.selectFrom(t5, t7);
        v7 = hi.selectFrom(t5, t7);
        v8 = lo.selectFrom(t8, t10);
        v10 = hi.selectFrom(t8, t10);
        v9 = lo.selectFrom(t9, t11);
        v11 = hi.selectFrom(t9, t11);
        v12 = lo.selectFrom(t12, t14);
        v14 = hi.selectFrom(t12, t14);
        v13 = lo.selectFrom(t13, t15);
        v15 = hi.selectFrom(t13, t15);
        lo = LO2;
        hi = HI2;
        t0 = lo.selectFrom(v0, v4);
        t4 = hi.selectFrom(v0, v4);
        t1 = lo.selectFrom(v1, v5);
        t5 = hi.selectFrom(v1, v5);
        t2 = lo.selectFrom(v2, v6);
        t6 = hi.selectFrom(v2, v6);
        t3 = lo.selectFrom(v3, v7);
        t7 = hi.selectFrom(v3, v7);
        t8 = lo.selectFrom(v8, v12);
        t12 = hi.selectFrom(v8, v12);
        t9 = lo.selectFrom(v9, v13);
        t13 = hi.selectFrom(v9, v13);
        t10 = lo.selectFrom(v10, v14);
        t14 = hi.selectFrom(v10, v14);
        t11 = lo.selectFrom(v11, v15);
        t15 = hi.selectFrom(v11, v15);
        lo = LO3;
        hi = HI3;
        v0 = lo.selectFrom(t0, t8);
        v8 = hi.selectFrom(t0, t8);
        v1 = lo.selectFrom(t1, t9);
        v9 = hi.selectFrom(t1, t9);
        v2 = lo.selectFrom(t2, t10);
        v10 = hi.selectFrom(t2, t10);
        v3 = lo.selectFrom(t3, t11);
        v11 = hi.selectFrom(t3, t11);
        v4 = lo.selectFrom(t4, t12);
        v12 = hi.selectFrom(t4, t12);
        v5 = lo.selectFrom(t5, t13);
        v13 = hi.selectFrom(t5, t13);
        v6 = lo.selectFrom(t6, t14);
        v14 = hi.selectFrom(t6, t14);
        v7 = lo.selectFrom(t7, t15);
        v15 = hi.selectFrom(t7, t15);
        v0.intoArray(dst, dOff);
        v1.intoArray(dst, dOff + 1 * dStride);
        v2.intoArray(dst, dOff + 2 * dStride);
        v3.intoArray(dst, dOff + 3 * dStride);
        v4.intoArray(dst, dOff + 4 * dStride);
        v5.intoArray(dst, dOff + 5 * dStride);
        v6.intoArray(dst, dOff + 6 * dStride);
        v7.intoArray(dst, dOff + 7 * dStride);
        v8.intoArray(dst, dOff + 8 * dStride);
        v9.intoArray(dst, dOff + 9 * dStride);
        v10.intoArray(dst, dOff + 10 * dStride);
        v11.intoArray(dst, dOff + 11 * dStride);
        v12.intoArray(dst, dOff + 12 * dStride);
        v13.intoArray(dst, dOff + 13 * dStride);
        v14.intoArray(dst, dOff + 14 * dStride);
        v15.intoArray(dst, dOff + 15 * dStride);
    }
}

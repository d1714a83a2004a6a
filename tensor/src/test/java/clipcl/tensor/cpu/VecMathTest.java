package clipcl.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.Erf;
import java.util.function.DoubleUnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.junit.jupiter.api.Test;

/**
 * The float32 functions of VecMath against float64 truths on dense grids: the error is measured in
 * float32 ulps of the true value, and the SIMD lanes must give the same bits as the scalar twin.
 */
class VecMathTest {
    interface VecFn { FloatVector apply(FloatVector x); }
    interface ScalarFn { float apply(float x); }

    /** Max error in ulps over [lo, hi] sampled at n points; checks SIMD == scalar bit for bit. */
    static double maxUlps(String name, ScalarFn s, VecFn v, DoubleUnaryOperator truth, double lo, double hi, int n) {
        int l = VecMath.F.length();
        float[] xs = new float[l], out = new float[l];
        double worst = 0;
        float worstX = 0;
        for (int i = 0; i < n; i += l) {
            for (int j = 0; j < l; j++) xs[j] = (float) (lo + (hi - lo) * (i + j) / (n - 1.0));
            v.apply(FloatVector.fromArray(VecMath.F, xs, 0)).intoArray(out, 0);
            for (int j = 0; j < l; j++) {
                float sc = s.apply(xs[j]);
                assertEquals(Float.floatToIntBits(sc), Float.floatToIntBits(out[j]), name + ": SIMD and scalar differ at x=" + xs[j] + ": " + out[j] + " vs " + sc);
                double t = truth.applyAsDouble(xs[j]);
                if (Double.isInfinite(t) || t == 0) {
                    assertEquals((float) t, sc, name + " at " + xs[j]);
                    continue;
                }
                double ulp = Math.ulp((float) t);
                if (Math.abs((float) t) < Float.MIN_NORMAL) ulp = Float.MIN_VALUE;
                double e = Math.abs(sc - t) / ulp;
                if (e > worst) { worst = e; worstX = xs[j]; }
            }
        }
        System.out.printf("%-10s [%g, %g]: max %.2f ulp at x=%s%n", name, lo, hi, worst, worstX);
        return worst;
    }

    static double gelu(double x) {
        // 1 + erf(z) = erfc(-z); Erf.erfc keeps relative accuracy in the left tail
        return 0.5 * x * Erf.erfc(-x / Math.sqrt(2));
    }

    @Test
    void expIsWithinTwoUlps() {
        assertTrue(maxUlps("exp", VecMath::exp, VecMath::exp, Math::exp, -87, 88.7, 40_000) <= 2);
        assertTrue(maxUlps("exp", VecMath::exp, VecMath::exp, Math::exp, -5, 5, 20_000) <= 2);
        // subnormal results: absolute error within one subnormal step
        assertTrue(maxUlps("exp-sub", VecMath::exp, VecMath::exp, Math::exp, -103, -87.5, 20_000) <= 1);
    }

    @Test
    void logIsWithinTwoUlps() {
        assertTrue(maxUlps("log", VecMath::log, VecMath::log, Math::log, 1e-6, 10, 40_000) <= 2);
        assertTrue(maxUlps("log", VecMath::log, VecMath::log, Math::log, 0.5, 2, 20_000) <= 2);
        assertTrue(maxUlps("log", VecMath::log, VecMath::log, Math::log, 1, 3e38, 20_000) <= 2);
        assertTrue(maxUlps("log-sub", VecMath::log, VecMath::log, Math::log, 1e-44, 1e-38, 20_000) <= 2);
    }

    @Test
    void tanhSigmoidQuickGeluWithinFewUlps() {
        assertTrue(maxUlps("tanh", VecMath::tanh, VecMath::tanh, Math::tanh, -12, 12, 40_000) <= 3);
        assertTrue(maxUlps("tanh", VecMath::tanh, VecMath::tanh, Math::tanh, -1e-3, 1e-3, 10_000) <= 2);
        assertTrue(maxUlps("sigmoid", VecMath::sigmoid, VecMath::sigmoid, x -> 1 / (1 + Math.exp(-x)), -80, 30, 40_000) <= 3);
        // 1.702 x is rounded to float first (as in CLIP's x * sigmoid(1.702 * x)); the rest is within 3 ulp
        assertTrue(maxUlps("quickgelu", VecMath::quickGelu, VecMath::quickGelu, x -> x / (1 + Math.exp(-1.702f * (float) x)), -40, 20, 40_000) <= 3);
    }

    @Test
    void erfAndGeluWithinFewUlps() {
        assertTrue(maxUlps("erf", VecMath::erf, VecMath::erf, Erf::erf, -6, 6, 40_000) <= 3);
        assertTrue(maxUlps("erf", VecMath::erf, VecMath::erf, Erf::erf, -1e-3, 1e-3, 10_000) <= 3);
        assertTrue(maxUlps("gelu", VecMath::gelu, VecMath::gelu, VecMathTest::gelu, -6, 10, 40_000) <= 5);
        // the far left tail, outputs down to 1e-37
        assertTrue(maxUlps("gelu-tail", VecMath::gelu, VecMath::gelu, VecMathTest::gelu, -12.9, -6, 20_000) <= 8);
        // beyond, outputs are subnormal (|x| >= 13.2 flushes them to -0): absolute error below 2^-126
        for (float x = -14f; x < -12.9f; x += 1e-3f) assertEquals(gelu(x), VecMath.gelu(x), Float.MIN_NORMAL, "gelu at " + x);
    }

    @Test
    void specialValuesFollowIeee() {
        float inf = Float.POSITIVE_INFINITY, nan = Float.NaN;
        assertEquals(inf, VecMath.exp(inf));
        assertEquals(0f, VecMath.exp(-inf));
        assertEquals(inf, VecMath.exp(89f));
        assertTrue(Float.isNaN(VecMath.exp(nan)));
        assertEquals(Float.NEGATIVE_INFINITY, VecMath.log(0f));
        assertEquals(Float.NEGATIVE_INFINITY, VecMath.log(-0f));
        assertTrue(Float.isNaN(VecMath.log(-1f)));
        assertTrue(Float.isNaN(VecMath.log(nan)));
        assertEquals(inf, VecMath.log(inf));
        assertEquals(1f, VecMath.tanh(inf));
        assertEquals(-1f, VecMath.tanh(-inf));
        assertEquals(inf, VecMath.gelu(inf));
        assertTrue(Float.isNaN(VecMath.gelu(nan)));
        assertEquals(1f, VecMath.erf(inf));
        assertEquals(-1f, VecMath.erf(-inf));
        float[] xs = {inf, -inf, nan, 0f, -0f, 89f, -104f, Float.MIN_VALUE};
        float[] pad = new float[VecMath.F.length()];
        System.arraycopy(xs, 0, pad, 0, xs.length);
        FloatVector v = FloatVector.fromArray(VecMath.F, pad, 0);
        ScalarFn[] s = {VecMath::exp, VecMath::log, VecMath::tanh, VecMath::sigmoid, VecMath::gelu, VecMath::quickGelu, VecMath::erf};
        VecFn[] f = {VecMath::exp, VecMath::log, VecMath::tanh, VecMath::sigmoid, VecMath::gelu, VecMath::quickGelu, VecMath::erf};
        for (int k = 0; k < s.length; k++) {
            float[] out = new float[pad.length];
            f[k].apply(v).intoArray(out, 0);
            for (int j = 0; j < pad.length; j++) {
                assertEquals(Float.floatToIntBits(s[k].apply(pad[j])), Float.floatToIntBits(out[j]), "function " + k + " at " + pad[j]);
            }
        }
        assertTrue(v.test(VectorOperators.IS_NAN).anyTrue());
    }

    @Test
    void arrayLoopsMatchTheScalarTwinAtEveryLengthInPlaceOrNot() {
        VecUnary.Loop[] loops = {VecMath::exp, VecMath::log, VecMath::tanh, VecMath::sigmoid, VecMath::gelu, VecMath::quickGelu};
        ScalarFn[] twins = {VecMath::exp, VecMath::log, VecMath::tanh, VecMath::sigmoid, VecMath::gelu, VecMath::quickGelu};
        java.util.Random rnd = new java.util.Random(7);
        // lengths around the lane count and the 1024-element blocks of the exp-based loops
        int[] lengths = {0, 1, 15, 16, 17, 31, 32, 33, 77, 1023, 1024, 1025, 2100};
        for (int k = 0; k < loops.length; k++) {
            for (int len : lengths) {
                int p = 3, q = 5;
                float[] a = new float[len + p + 2];
                for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextGaussian() * 4 + (k == 1 ? 10 : 0));
                float[] o = new float[len + q + 2];
                loops[k].run(a, p, o, q, len);
                float[] in = a.clone();
                loops[k].run(in, p, in, p, len); // in place
                for (int i = 0; i < len; i++) {
                    int want = Float.floatToIntBits(twins[k].apply(a[p + i]));
                    assertEquals(want, Float.floatToIntBits(o[q + i]), "loop " + k + " len " + len + " at " + i);
                    assertEquals(want, Float.floatToIntBits(in[p + i]), "in-place loop " + k + " len " + len + " at " + i);
                }
                assertEquals(0f, o[q - 1]);
                assertEquals(0f, o[q + len]);
                assertEquals(a[p - 1], in[p - 1]);
                assertEquals(a[p + len], in[p + len]);
            }
        }
    }
}

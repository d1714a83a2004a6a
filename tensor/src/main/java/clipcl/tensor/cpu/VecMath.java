package clipcl.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 transcendental functions, each twice: a SIMD version over FloatVector lanes and a scalar
 * version that performs exactly the same float operations (same fma order, same constants), so an
 * element gives the same bits whether it lands in a vector body or a scalar tail, whatever the
 * thread split. Errors against float64 are a few ulp at most (see VecMathTest); the polynomial
 * coefficients are weighted least-squares fits (mpmath targets) on the stated intervals.
 */
public final class VecMath {
    private VecMath() { }

    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Forces every kernel onto its scalar path: -Dclipcl.scalar=true. */
    public static final boolean SCALAR = Boolean.getBoolean("clipcl.scalar");

    /**
     * A constant vector. Inside a loop C2 hoists the broadcast of a constant; a static final
     * FloatVector field instead is re-loaded on every iteration (measured: exp 2x slower).
     */
    static FloatVector bc(float c) { return FloatVector.broadcast(F, c); }

    /** Length of the vectorised prefix of a loop over n elements (0 when scalar is forced). */
    public static int bound(int n) { return SCALAR ? 0 : F.loopBound(n); }

    // ------------------------------------------------------------------ exp
    // exp(x) = 2^n * exp(r), n = round(x log2 e), r = x - n ln2 (Cody-Waite split, |r| <= ln2/2),
    // exp(r) a degree-6 fit (rel. error 1.9e-9). 2^n is applied as two factors so that results in
    // the subnormal range (x down to -104) round once instead of flushing to zero.
    private static final float LOG2E = 1.44269504f;
    private static final float MAGIC = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    private static final int MAGIC_BITS = 0x4B400000;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float E0 = 1.0f, E1 = 1.0000000364f, E2 = 0.4999999244f, E3 = 0.1666641977f,
            E4 = 0.0416681443f, E5 = 0.0083748426f, E6 = 0.0013841402f;
    private static final float EXP_LO = -104f, EXP_HI = 89f;

    public static float exp(float x) {
        x = Math.min(Math.max(x, EXP_LO), EXP_HI);
        float t = Math.fma(x, LOG2E, MAGIC);
        float n = t - MAGIC;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(E6, r, E5), r, E4), r, E3), r, E2), r, E1), r, E0);
        int ni = Float.floatToRawIntBits(t) - MAGIC_BITS;
        int n1 = ni >> 1, n2 = ni - n1;
        return p * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
    }

    /** o[q, q + len) = exp(a[p, p + len)); o may be a. */
    public static void exp(float[] a, int p, float[] o, int q, int len) { exp(a, p, 1f, 0f, o, q, len); }

    /**
     * o[q, q + len) = exp(a[p, p + len) * scale - shift), each element rounded as the scalar
     * {@code exp(x * scale - shift)} (so exp(x * 1 - 0) is exp(x) bit for bit: softmax's
     * exp(x - max) and QuickGELU's exp(-1.702 x) are this loop). o may be a. Rows of at least one vector run in whole
     * vectors: the last one overlaps the one before and is loaded before anything is stored, so an
     * in-place call recomputes the overlapped lanes from their inputs (same bits). The body calls
     * only the Vector API: see {@link #gelu(float[], int, float[], int, int)} for why.
     */
    public static void exp(float[] a, int p, float scale, float shift, float[] o, int q, int len) {
        int l = F.length();
        if (SCALAR || len < l) {
            for (int i = 0; i < len; i++) o[q + i] = exp(a[p + i] * scale - shift);
            return;
        }
        int last = len - l, count = (len + l - 1) / l;
        FloatVector tail = FloatVector.fromArray(F, a, p + last);
        for (int k = 0; k < count; k++) { // a counted loop: C2 then drops the bounds checks (2x faster)
            int at = Math.min(k * l, last);
            FloatVector x = (at == last ? tail : FloatVector.fromArray(F, a, p + at)).mul(scale).sub(shift);
            // clamp by compare and blend: min/max with Java's NaN and -0 rules cost several
            // instructions each; NaN compares false and passes through unchanged either way
            x = x.blend(EXP_LO, x.lt(EXP_LO)).blend(EXP_HI, x.compare(VectorOperators.GT, EXP_HI));
            FloatVector t = x.fma(LOG2E, MAGIC);
            FloatVector n = t.sub(MAGIC);
            FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_LO), n.fma(FloatVector.broadcast(F, -LN2_HI), x));
            FloatVector e = FloatVector.broadcast(F, E6).fma(r, FloatVector.broadcast(F, E5))
                    .fma(r, FloatVector.broadcast(F, E4)).fma(r, FloatVector.broadcast(F, E3))
                    .fma(r, FloatVector.broadcast(F, E2)).fma(r, FloatVector.broadcast(F, E1))
                    .fma(r, FloatVector.broadcast(F, E0));
            IntVector ni = t.reinterpretAsInts().sub(MAGIC_BITS);
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1), n2 = ni.sub(n1);
            e.mul(n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .intoArray(o, q + at);
        }
    }

    /** One vector of exp, through the loop (for tests and the erf reference; kernels call the loop). */
    public static FloatVector exp(FloatVector x) { return viaLoop(VecMath::exp, x); }

    /** One array kernel applied to one vector. */
    private static FloatVector viaLoop(VecUnary.Loop loop, FloatVector x) {
        float[] in = new float[F.length()], out = new float[F.length()];
        x.intoArray(in, 0);
        loop.run(in, 0, out, 0, in.length);
        return FloatVector.fromArray(F, out, 0);
    }

    // ------------------------------------------------------------------ log
    // x = 2^e m with m in [sqrt(1/2), sqrt(2)); log(m) = f P(f), f = m - 1, P a degree-9 fit
    // (rel. error 4.5e-9). Subnormals are scaled by 2^23 first.
    private static final int SQRT_HALF_BITS = 0x3F3504F3;
    private static final float L0 = 1.0f, L1 = -0.4999998818f, L2 = 0.3333331297f, L3 = -0.2500158900f,
            L4 = 0.2000265893f, L5 = -0.1660950221f, L6 = 0.1416991603f, L7 = -0.1322789866f,
            L8 = 0.1297008168f, L9 = -0.0773566833f;
    private static final float LN2_F_HI = 0.693145751953125f, LN2_F_LO = 1.428606765330187e-06f;

    public static float log(float x) {
        if (x != x || x < 0) return Float.NaN;
        if (x == 0) return Float.NEGATIVE_INFINITY;
        if (x == Float.POSITIVE_INFINITY) return x;
        boolean tiny = x < Float.MIN_NORMAL;
        float xs = tiny ? x * 8388608f : x;
        int u = Float.floatToRawIntBits(xs) - SQRT_HALF_BITS;
        int e = (u >> 23) - (tiny ? 23 : 0);
        float f = Float.intBitsToFloat((u & 0x007FFFFF) + SQRT_HALF_BITS) - 1f;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(
                L9, f, L8), f, L7), f, L6), f, L5), f, L4), f, L3), f, L2), f, L1), f, L0);
        float ef = e;
        return Math.fma(ef, LN2_F_HI, Math.fma(ef, LN2_F_LO, f * p));
    }

    /** o[q, q + len) = log(a[p, p + len)), SIMD with the scalar twin on the tail. */
    public static void log(float[] a, int p, float[] o, int q, int len) {
        int i = 0, ub = bound(len), l = F.length();
        for (; i < ub; i += l) {
            FloatVector x = FloatVector.fromArray(F, a, p + i);
            VectorMask<Float> tiny = x.lt(Float.MIN_NORMAL);
            FloatVector xs = x.blend(x.mul(8388608f), tiny);
            IntVector u = xs.reinterpretAsInts().sub(SQRT_HALF_BITS);
            IntVector e = u.lanewise(VectorOperators.ASHR, 23);
            e = e.blend(e.sub(23), tiny.cast(e.species()));
            FloatVector f = u.and(0x007FFFFF).add(SQRT_HALF_BITS).reinterpretAsFloats().sub(1f);
            FloatVector pl = FloatVector.broadcast(F, L9).fma(f, FloatVector.broadcast(F, L8))
                    .fma(f, FloatVector.broadcast(F, L7)).fma(f, FloatVector.broadcast(F, L6))
                    .fma(f, FloatVector.broadcast(F, L5)).fma(f, FloatVector.broadcast(F, L4))
                    .fma(f, FloatVector.broadcast(F, L3)).fma(f, FloatVector.broadcast(F, L2))
                    .fma(f, FloatVector.broadcast(F, L1)).fma(f, FloatVector.broadcast(F, L0));
            FloatVector ef = (FloatVector) e.convert(VectorOperators.I2F, 0);
            FloatVector r = ef.fma(FloatVector.broadcast(F, LN2_F_HI), ef.fma(FloatVector.broadcast(F, LN2_F_LO), f.mul(pl)));
            r = r.blend(Float.NEGATIVE_INFINITY, x.eq(0f));
            r = r.blend(Float.POSITIVE_INFINITY, x.eq(Float.POSITIVE_INFINITY));
            r.blend(Float.NaN, x.lt(0f).or(x.test(VectorOperators.IS_NAN))).intoArray(o, q + i);
        }
        for (; i < len; i++) o[q + i] = log(a[p + i]);
    }

    /** One vector of log, through the loop (for tests). */
    public static FloatVector log(FloatVector x) { return viaLoop(VecMath::log, x); }

    // ------------------------------------------------------------------ tanh
    // |x| < 0.625: x P(x^2) (degree-5 fit, rel. error 5.9e-9); else sign(x) (1 - 2 / (exp(2|x|) + 1)),
    // where the subtraction loses at most a factor 0.8 in relative accuracy.
    private static final float T1 = -0.3333324775f, T2 = 0.1333092510f, T3 = -0.0537085670f,
            T4 = 0.0205578947f, T5 = -0.0056284722f;

    public static float tanh(float x) {
        float ax = Math.abs(x);
        if (ax < 0.625f) {
            float t = x * x;
            return x * Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(T5, t, T4), t, T3), t, T2), t, T1), t, 1f);
        }
        float r = 1f - 2f / (exp(2f * ax) + 1f);
        return x < 0 ? -r : r;
    }

    /** o[q, q + len) = tanh(a[p, p + len)); o may be a. */
    public static void tanh(float[] a, int p, float[] o, int q, int len) { viaExp(a, p, o, q, len, true, 2f, VecMath::tanhFinish); }

    /** One vector of tanh, through the loop (for tests). */
    public static FloatVector tanh(FloatVector x) { return viaLoop(VecMath::tanh, x); }

    /** From x and exp(2|x|): the small-|x| polynomial or the exp form, as the scalar tanh. */
    private static void tanhFinish(float[] a, int p, float[] s, float[] o, int q, int len) {
        int i = 0, ub = bound(len), l = F.length();
        for (; i < ub; i += l) {
            FloatVector x = FloatVector.fromArray(F, a, p + i);
            FloatVector t = x.mul(x);
            FloatVector small = x.mul(FloatVector.broadcast(F, T5).fma(t, FloatVector.broadcast(F, T4))
                    .fma(t, FloatVector.broadcast(F, T3)).fma(t, FloatVector.broadcast(F, T2))
                    .fma(t, FloatVector.broadcast(F, T1)).fma(t, FloatVector.broadcast(F, 1f)));
            FloatVector big = FloatVector.broadcast(F, 1f).sub(FloatVector.broadcast(F, 2f).div(FloatVector.fromArray(F, s, i).add(1f)));
            big = big.blend(big.neg(), x.lt(0f));
            big.blend(small, x.abs().lt(0.625f)).intoArray(o, q + i);
        }
        for (; i < len; i++) o[q + i] = tanh(a[p + i]);
    }

    // ------------------------------------------------------------------ sigmoid, quick GELU
    // sigmoid and tanh run as passes over L1-sized blocks: the exp loop into a scratch block,
    // then the rest. No method of ours takes or returns a vector, so no C2 inlining decision can
    // box one (see gelu); the extra pass stays in L1.

    public static float sigmoid(float x) { return 1f / (1f + exp(-x)); }

    /** o[q, q + len) = sigmoid(a[p, p + len)); o may be a. */
    public static void sigmoid(float[] a, int p, float[] o, int q, int len) { viaExp(a, p, o, q, len, false, -1f, VecMath::sigmoidFinish); }

    /** One vector of sigmoid, through the loop (for tests). */
    public static FloatVector sigmoid(FloatVector x) { return viaLoop(VecMath::sigmoid, x); }

    public static float quickGelu(float x) { return x / (1f + exp(-1.702f * x)); }

    /** o[q, q + len) = quick_gelu(a[p, p + len)); o may be a. */
    public static void quickGelu(float[] a, int p, float[] o, int q, int len) {
        // CLIP's activation, on the hot path: one pass with exp written out (as in the exp loop)
        // rather than passes through a scratch block (three passes measured 1.5-2x slower)
        int i = 0, ub = bound(len), l = F.length();
        for (; i < ub; i += l) {
            FloatVector v = FloatVector.fromArray(F, a, p + i);
            FloatVector x = v.mul(-1.702f);
            x = x.blend(EXP_LO, x.lt(EXP_LO)).blend(EXP_HI, x.compare(VectorOperators.GT, EXP_HI));
            FloatVector t = x.fma(LOG2E, MAGIC);
            FloatVector n = t.sub(MAGIC);
            FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_LO), n.fma(FloatVector.broadcast(F, -LN2_HI), x));
            FloatVector e = FloatVector.broadcast(F, E6).fma(r, FloatVector.broadcast(F, E5))
                    .fma(r, FloatVector.broadcast(F, E4)).fma(r, FloatVector.broadcast(F, E3))
                    .fma(r, FloatVector.broadcast(F, E2)).fma(r, FloatVector.broadcast(F, E1))
                    .fma(r, FloatVector.broadcast(F, E0));
            IntVector ni = t.reinterpretAsInts().sub(MAGIC_BITS);
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1), n2 = ni.sub(n1);
            e = e.mul(n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            v.div(e.add(1f)).intoArray(o, q + i);
        }
        for (; i < len; i++) o[q + i] = quickGelu(a[p + i]);
    }

    /** One vector of QuickGELU, through the loop (for tests). */
    public static FloatVector quickGelu(FloatVector x) { return viaLoop(VecMath::quickGelu, x); }

    private static void sigmoidFinish(float[] a, int p, float[] s, float[] o, int q, int len) {
        int i = 0, ub = bound(len), l = F.length();
        for (; i < ub; i += l) FloatVector.broadcast(F, 1f).div(FloatVector.fromArray(F, s, i).add(1f)).intoArray(o, q + i);
        for (; i < len; i++) o[q + i] = 1f / (1f + s[i]);
    }

    /** o[q, q + len) from a[p, p + len) and s[0, len) = exp(argument). */
    @FunctionalInterface
    interface ExpFinish {
        void run(float[] a, int p, float[] s, float[] o, int q, int len);
    }

    private static final int BLOCK = 1024;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[BLOCK]);

    /**
     * exp(scale x), or exp(scale |x|) when ofAbs (tanh's exp(2 |x|)), into a scratch block, then
     * finish, block by block; o may be a.
     */
    private static void viaExp(float[] a, int p, float[] o, int q, int len, boolean ofAbs, float scale, ExpFinish finish) {
        float[] s = SCRATCH.get();
        for (int b = 0; b < len; b += BLOCK) {
            int m = Math.min(BLOCK, len - b);
            if (ofAbs) {
                VecUnary.abs(a, p + b, s, 0, m);
                exp(s, 0, scale, 0f, s, 0, m);
            } else {
                exp(a, p + b, scale, 0f, s, 0, m);
            }
            finish.run(a, p + b, s, o, q + b, m);
        }
    }

    // ------------------------------------------------------------------ erf, GELU
    // erf itself (no kernel uses it; it documents the accuracy reachable in float):
    // |z| < 1: erf(z) = z P(z^2), degree 6 (rel. error 1.9e-9).
    // |z| >= 1: erfc(|z|) = exp(-z^2) Q(s), s = (|z| - 2) / (|z| + 2), Q a degree-9 fit of
    // exp(z^2) erfc(z) on [0.5, 10] (rel. error 6.8e-9); z^2 is split into hi + lo with an fma so
    // that exp(-z^2) keeps its relative accuracy in the tail.
    private static final float P0 = 1.1283791650f, P1 = -0.3761262317f, P2 = 0.1128356164f, P3 = -0.0268529622f,
            P4 = 0.0051868661f, P5 = -0.0007998256f, P6 = 0.0000781660f;
    private static final float Q0 = 0.2553956766f, Q1 = -0.4271858476f, Q2 = 0.2416581478f, Q3 = -0.0789785121f,
            Q4 = 0.0037338816f, Q5 = 0.0069959150f, Q6 = -0.0008543288f, Q7 = -0.0009710804f, Q8 = 0.0000652528f,
            Q9 = 0.0001446546f;
    private static final float SQRT1_2 = 0.70710678f;

    /**
     * erfc(a) for a >= 0.5, given a^2 as hi + lo.
     */
    static float erfcLarge(float a, float hi, float lo) {
        float s = (a - 2f) / (a + 2f);
        float q = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(
                Q9, s, Q8), s, Q7), s, Q6), s, Q5), s, Q4), s, Q3), s, Q2), s, Q1), s, Q0);
        return exp(-hi) * (1f - lo) * q;
    }

    static FloatVector erfcLarge(FloatVector a, FloatVector hi, FloatVector lo) {
        FloatVector s = a.sub(2f).div(a.add(2f));
        FloatVector q = bc(Q9).fma(s, bc(Q8)).fma(s, bc(Q7)).fma(s, bc(Q6)).fma(s, bc(Q5)).fma(s, bc(Q4))
                .fma(s, bc(Q3)).fma(s, bc(Q2)).fma(s, bc(Q1)).fma(s, bc(Q0));
        return exp(hi.neg()).mul(FloatVector.broadcast(F, 1f).sub(lo)).mul(q);
    }

    static float erfSmall(float z) {
        float t = z * z;
        return z * Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(P6, t, P5), t, P4), t, P3), t, P2), t, P1), t, P0);
    }

    static FloatVector erfSmall(FloatVector z) {
        FloatVector t = z.mul(z);
        return z.mul(bc(P6).fma(t, bc(P5)).fma(t, bc(P4)).fma(t, bc(P3)).fma(t, bc(P2)).fma(t, bc(P1)).fma(t, bc(P0)));
    }

    public static float erf(float z) {
        float az = Math.abs(z);
        if (az < 1f) return erfSmall(z);
        if (z != z) return z;
        az = Math.min(az, 10f); // erfc underflows beyond
        float hi = az * az;
        float r = 1f - erfcLarge(az, hi, Math.fma(az, az, -hi));
        return z < 0 ? -r : r;
    }

    public static FloatVector erf(FloatVector z) {
        FloatVector az = z.abs().min(10f);
        FloatVector hi = az.mul(az);
        FloatVector big = FloatVector.broadcast(F, 1f).sub(erfcLarge(az, hi, az.fma(az, hi.neg())));
        big = big.blend(big.neg(), z.lt(0f));
        big = big.blend(z, z.test(VectorOperators.IS_NAN));
        return big.blend(erfSmall(z), z.abs().lt(1f));
    }

    // GELU = x Phi(x) = x erfc(-x / sqrt 2) / 2, from one formula for all x. With a = |x| and
    // h = erfc(a / sqrt 2) / 2 = exp(-a^2 / 2) R(a), Phi = h for x < 0 and 1 - h for x > 0, so the
    // left tail keeps its relative accuracy (no 1 + erf cancellation). R(a) ~ erfcx(a / sqrt 2) / 2
    // is a (4, 5) rational P / Q with Q(0) = 1, relative error 4.9e-9 on [0, 13.2]; its
    // coefficients come from tensor/src/test/python/fit_gelu.py. exp(-a^2 / 2) is the exp above with
    // its reduced argument r = -a^2 / 2 - n ln2 formed by one fma from a itself: n LN2_HI is exact
    // (LN2_HI has 9 bits), so r is rounded once and exp does not inherit the ~40 ulp error of a
    // rounded a^2 / 2 in the tail. One exp, one division, about 40 operations; PyTorch's erf
    // (Abramowitz-Stegun 7.1.26, 1.5e-7 absolute) is not much cheaper and loses all relative
    // accuracy in the left tail.
    private static final float GP0 = 0.5f, GP1 = 0.43545416f, GP2 = 0.18113567f, GP3 = 0.03992671f, GP4 = 0.0040117106f;
    private static final float GQ1 = 1.6687932f, GQ2 = 1.1937716f, GQ3 = 0.46392876f, GQ4 = 0.100088894f, GQ5 = 0.010055722f;

    private static final float GELU_MAX = 13.2f; // a^2 / 2 = 87.1: exp stays normal

    /** Exact GELU, x Phi(x) = x (1 + erf(x / sqrt 2)) / 2. */
    public static float gelu(float x) {
        // Beyond |x| = 13.2, h < 2^-126: flushed to 0 (the GELU is x, -0, or NaN for -inf as in torch)
        float ax = Math.abs(x);
        boolean far = ax >= GELU_MAX;
        if (far) ax = GELU_MAX;
        float nhx = ax * -0.5f;
        float t = Math.fma(nhx * ax, LOG2E, MAGIC);
        float n = t - MAGIC;
        float r = Math.fma(n, -LN2_LO, Math.fma(nhx, ax, n * -LN2_HI));
        float e = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(E6, r, E5), r, E4), r, E3), r, E2), r, E1), r, E0)
                * Float.intBitsToFloat((Float.floatToRawIntBits(t) - MAGIC_BITS + 127) << 23);
        float num = Math.fma(Math.fma(Math.fma(Math.fma(GP4, ax, GP3), ax, GP2), ax, GP1), ax, GP0);
        float den = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(GQ5, ax, GQ4), ax, GQ3), ax, GQ2), ax, GQ1), ax, 1f);
        float h = far ? 0f : e * (num / den);
        return x * (x > 0 ? 1f - h : h); // NaN falls to h
    }

    /**
     * o[q, q + len) = gelu(a[p, p + len)), the SIMD lanes and the scalar tail giving the same bits.
     * The loop body calls nothing of ours, only the Vector API, on purpose: C2 always inlines the
     * JDK's {@code @ForceInline} Vector API methods, but a helper of ours (even {@link #bc}) is
     * refused once the compilation passes its node cutoff, or once the helper has been compiled on
     * its own into a big method, and every vector crossing the refused call is then boxed on the
     * heap (measured: 5-10x slower, depending on which kernels ran before). Written out in full,
     * the whole GELU is one compilation unit at any history.
     */
    static void gelu(float[] a, int p, float[] o, int q, int len) {
        int i = 0, ub = bound(len), l = F.length();
        for (; i < ub; i += l) {
            FloatVector x = FloatVector.fromArray(F, a, p + i);
            FloatVector ax = x.abs();
            VectorMask<Float> far = ax.compare(VectorOperators.GE, GELU_MAX);
            ax = ax.blend(GELU_MAX, far);
            FloatVector nhx = ax.mul(-0.5f);
            FloatVector t = nhx.mul(ax).fma(LOG2E, MAGIC);
            FloatVector n = t.sub(MAGIC);
            FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_LO), nhx.fma(ax, n.mul(-LN2_HI)));
            FloatVector e = FloatVector.broadcast(F, E6).fma(r, FloatVector.broadcast(F, E5))
                    .fma(r, FloatVector.broadcast(F, E4)).fma(r, FloatVector.broadcast(F, E3))
                    .fma(r, FloatVector.broadcast(F, E2)).fma(r, FloatVector.broadcast(F, E1))
                    .fma(r, FloatVector.broadcast(F, E0))
                    .mul(t.reinterpretAsInts().add(127 - MAGIC_BITS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            FloatVector num = FloatVector.broadcast(F, GP4).fma(ax, FloatVector.broadcast(F, GP3))
                    .fma(ax, FloatVector.broadcast(F, GP2)).fma(ax, FloatVector.broadcast(F, GP1))
                    .fma(ax, FloatVector.broadcast(F, GP0));
            FloatVector den = FloatVector.broadcast(F, GQ5).fma(ax, FloatVector.broadcast(F, GQ4))
                    .fma(ax, FloatVector.broadcast(F, GQ3)).fma(ax, FloatVector.broadcast(F, GQ2))
                    .fma(ax, FloatVector.broadcast(F, GQ1)).fma(ax, FloatVector.broadcast(F, 1f));
            FloatVector h = e.mul(num.div(den)).blend(0f, far);
            x.mul(h.blend(FloatVector.broadcast(F, 1f).sub(h), x.compare(VectorOperators.GT, 0f))).intoArray(o, q + i);
        }
        for (; i < len; i++) o[q + i] = gelu(a[p + i]);
    }

    /** One vector of GELU, through the loop above (for tests: kernels call the loop). */
    public static FloatVector gelu(FloatVector x) { return viaLoop(VecMath::gelu, x); }
}

package clipcl.tensor.cpu;

import static clipcl.tensor.cpu.VecMath.F;

import clipcl.tensor.DType;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Tensor;
import clipcl.tensor.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Elementwise functions of one F32 tensor: SIMD over contiguous runs, the scalar twin elsewhere. */
final class VecUnary {
    private VecUnary() { }

    static boolean unary(UnaryOp op, Tensor x, Tensor out) {
        if (x.dtype() != DType.F32 || out.dtype() != DType.F32) return false;
        if (!(x.storage() instanceof HeapStorage hx) || !(out.storage() instanceof HeapStorage ho)) return false;
        float[] a = hx.f32(), o = ho.f32();
        Iter it = new Iter(x, out);
        int sa = it.innerStride(0), so = it.innerStride(1);
        it.forEach(grain(op), (off, len) -> {
            if (sa == 1 && so == 1) run(op, a, off[0], o, off[1], len);
            else for (int i = 0, p = off[0], q = off[1]; i < len; i++, p += sa, q += so) o[q] = scalar(op, a[p]);
        });
        return true;
    }

    /** Transcendental functions cost ~10x an add: split them into smaller parallel chunks. */
    static int grain(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SQUARE, RELU -> Iter.GRAIN * 2;
            default -> Iter.GRAIN / 2;
        };
    }

    /** The scalar float definition every SIMD loop below matches. */
    static float scalar(UnaryOp op, float x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> VecMath.exp(x);
            case LOG -> VecMath.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case RSQRT -> 1f / (float) Math.sqrt(x);
            case RECIPROCAL -> 1f / x;
            case SQUARE -> x * x;
            case TANH -> VecMath.tanh(x);
            case SIGMOID -> VecMath.sigmoid(x);
            case RELU -> Math.max(x, 0f); // NaN stays NaN, -0 becomes +0, as the reference
            case GELU -> VecMath.gelu(x);
            case QUICK_GELU -> VecMath.quickGelu(x);
        };
    }

    /** One contiguous run: o[q..q+len) = op(a[p..p+len)). */
    @FunctionalInterface
    interface Loop {
        void run(float[] a, int p, float[] o, int q, int len);
    }

    // One method per op, reached through this table rather than a switch: a switch would let C2
    // inline every op's SIMD body into one method, run past its node budget, stop inlining the
    // Vector API calls and box every vector (measured: GELU 10x slower). Called through the table,
    // each loop is its own compilation unit.
    private static final Loop[] LOOPS = new Loop[UnaryOp.values().length];

    static {
        LOOPS[UnaryOp.NEG.ordinal()] = VecUnary::neg;
        LOOPS[UnaryOp.ABS.ordinal()] = VecUnary::abs;
        LOOPS[UnaryOp.EXP.ordinal()] = VecMath::exp;
        LOOPS[UnaryOp.LOG.ordinal()] = VecMath::log;
        LOOPS[UnaryOp.SQRT.ordinal()] = VecUnary::sqrt;
        LOOPS[UnaryOp.RSQRT.ordinal()] = VecUnary::rsqrt;
        LOOPS[UnaryOp.RECIPROCAL.ordinal()] = VecUnary::reciprocal;
        LOOPS[UnaryOp.SQUARE.ordinal()] = VecUnary::square;
        LOOPS[UnaryOp.TANH.ordinal()] = VecMath::tanh;
        LOOPS[UnaryOp.SIGMOID.ordinal()] = VecMath::sigmoid;
        LOOPS[UnaryOp.RELU.ordinal()] = VecUnary::relu;
        LOOPS[UnaryOp.GELU.ordinal()] = VecMath::gelu;
        LOOPS[UnaryOp.QUICK_GELU.ordinal()] = VecMath::quickGelu;
    }

    static void run(UnaryOp op, float[] a, int p, float[] o, int q, int len) { dispatch(LOOPS[op.ordinal()], a, p, o, q, len); }

    /**
     * The one call site of every loop. Its type profile sees all of them, so C2 never inlines a
     * loop into its caller (which is the point: each stays a separate compilation unit).
     */
    static void dispatch(Loop l, float[] a, int p, float[] o, int q, int len) { l.run(a, p, o, q, len); }


    static void neg(float[] a, int p, float[] o, int q, int len) {
        int i = 0, ub = VecMath.bound(len), n = F.length();
        for (; i < ub; i += n) {
            FloatVector v = FloatVector.fromArray(F, a, p + i);
            v.neg().intoArray(o, q + i);
        }
        for (; i < len; i++) o[q + i] = scalar(UnaryOp.NEG, a[p + i]);
    }

    static void abs(float[] a, int p, float[] o, int q, int len) {
        int i = 0, ub = VecMath.bound(len), n = F.length();
        for (; i < ub; i += n) {
            FloatVector v = FloatVector.fromArray(F, a, p + i);
            v.abs().intoArray(o, q + i);
        }
        for (; i < len; i++) o[q + i] = scalar(UnaryOp.ABS, a[p + i]);
    }

    static void sqrt(float[] a, int p, float[] o, int q, int len) {
        int i = 0, ub = VecMath.bound(len), n = F.length();
        for (; i < ub; i += n) {
            FloatVector v = FloatVector.fromArray(F, a, p + i);
            v.sqrt().intoArray(o, q + i);
        }
        for (; i < len; i++) o[q + i] = scalar(UnaryOp.SQRT, a[p + i]);
    }

    static void rsqrt(float[] a, int p, float[] o, int q, int len) {
        int i = 0, ub = VecMath.bound(len), n = F.length();
        for (; i < ub; i += n) {
            FloatVector v = FloatVector.fromArray(F, a, p + i);
            FloatVector.broadcast(F, 1f).div(v.sqrt()).intoArray(o, q + i);
        }
        for (; i < len; i++) o[q + i] = scalar(UnaryOp.RSQRT, a[p + i]);
    }

    static void reciprocal(float[] a, int p, float[] o, int q, int len) {
        int i = 0, ub = VecMath.bound(len), n = F.length();
        for (; i < ub; i += n) {
            FloatVector v = FloatVector.fromArray(F, a, p + i);
            FloatVector.broadcast(F, 1f).div(v).intoArray(o, q + i);
        }
        for (; i < len; i++) o[q + i] = scalar(UnaryOp.RECIPROCAL, a[p + i]);
    }

    static void square(float[] a, int p, float[] o, int q, int len) {
        int i = 0, ub = VecMath.bound(len), n = F.length();
        for (; i < ub; i += n) {
            FloatVector v = FloatVector.fromArray(F, a, p + i);
            v.mul(v).intoArray(o, q + i);
        }
        for (; i < len; i++) o[q + i] = scalar(UnaryOp.SQUARE, a[p + i]);
    }

    static void relu(float[] a, int p, float[] o, int q, int len) {
        int i = 0, ub = VecMath.bound(len), n = F.length();
        for (; i < ub; i += n) {
            FloatVector v = FloatVector.fromArray(F, a, p + i);
            v.blend(0f, v.compare(VectorOperators.LE, 0f)).intoArray(o, q + i);
        }
        for (; i < len; i++) o[q + i] = scalar(UnaryOp.RELU, a[p + i]);
    }
}

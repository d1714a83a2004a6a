package clipcl.tensor.cpu;

import static clipcl.tensor.cpu.VecMath.F;

import clipcl.tensor.DType;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Tensor;
import clipcl.tensor.UnaryOp;
import jdk.incubator.vector.FloatVector;

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

    /** o[q..q+len) = op(a[p..p+len)), contiguous. */
    static void run(UnaryOp op, float[] a, int p, float[] o, int q, int len) {
        int i = 0, ub = VecMath.bound(len), n = F.length();
        switch (op) {
            case NEG -> { for (; i < ub; i += n) FloatVector.fromArray(F, a, p + i).neg().intoArray(o, q + i); }
            case ABS -> { for (; i < ub; i += n) FloatVector.fromArray(F, a, p + i).abs().intoArray(o, q + i); }
            case EXP -> { for (; i < ub; i += n) VecMath.exp(FloatVector.fromArray(F, a, p + i)).intoArray(o, q + i); }
            case LOG -> { for (; i < ub; i += n) VecMath.log(FloatVector.fromArray(F, a, p + i)).intoArray(o, q + i); }
            case SQRT -> { for (; i < ub; i += n) FloatVector.fromArray(F, a, p + i).sqrt().intoArray(o, q + i); }
            case RSQRT -> {
                FloatVector one = FloatVector.broadcast(F, 1f);
                for (; i < ub; i += n) one.div(FloatVector.fromArray(F, a, p + i).sqrt()).intoArray(o, q + i);
            }
            case RECIPROCAL -> {
                FloatVector one = FloatVector.broadcast(F, 1f);
                for (; i < ub; i += n) one.div(FloatVector.fromArray(F, a, p + i)).intoArray(o, q + i);
            }
            case SQUARE -> {
                for (; i < ub; i += n) {
                    FloatVector v = FloatVector.fromArray(F, a, p + i);
                    v.mul(v).intoArray(o, q + i);
                }
            }
            case TANH -> { for (; i < ub; i += n) VecMath.tanh(FloatVector.fromArray(F, a, p + i)).intoArray(o, q + i); }
            case SIGMOID -> { for (; i < ub; i += n) VecMath.sigmoid(FloatVector.fromArray(F, a, p + i)).intoArray(o, q + i); }
            case RELU -> { for (; i < ub; i += n) FloatVector.fromArray(F, a, p + i).max(0f).intoArray(o, q + i); }
            case GELU -> { for (; i < ub; i += n) VecMath.gelu(FloatVector.fromArray(F, a, p + i)).intoArray(o, q + i); }
            case QUICK_GELU -> { for (; i < ub; i += n) VecMath.quickGelu(FloatVector.fromArray(F, a, p + i)).intoArray(o, q + i); }
        }
        for (; i < len; i++) o[q + i] = scalar(op, a[p + i]);
    }
}

package clipcl.tensor.cpu;

import static clipcl.tensor.cpu.VecMath.F;

import clipcl.tensor.BinaryOp;
import clipcl.tensor.DType;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Elementwise functions of two F32 tensors and where(). After {@link Iter} has merged dimensions,
 * each run has per-operand inner strides; SIMD handles inner stride 1 and stride 0 (a scalar, or a
 * row broadcast such as [N,D] + [D], whose runs are the rows); anything else takes the strided
 * scalar loop.
 */
final class VecBinary {
    private VecBinary() { }

    static boolean binary(BinaryOp op, Tensor x, Tensor y, Tensor out) {
        if (x.dtype() != DType.F32 || y.dtype() != DType.F32 || out.dtype() != DType.F32) return false;
        if (!(x.storage() instanceof HeapStorage hx) || !(y.storage() instanceof HeapStorage hy)
                || !(out.storage() instanceof HeapStorage ho)) return false;
        float[] a = hx.f32(), b = hy.f32(), o = ho.f32();
        Iter it = new Iter(x, y, out);
        int sa = it.innerStride(0), sb = it.innerStride(1), so = it.innerStride(2);
        boolean simd = so == 1 && (sa == 1 || sa == 0) && (sb == 1 || sb == 0);
        int grain = op == BinaryOp.POW ? Iter.GRAIN / 4 : Iter.GRAIN * 2;
        it.forEach(grain, (off, len) -> {
            if (simd) run(op, a, off[0], sa == 0, b, off[1], sb == 0, o, off[2], len);
            else for (int i = 0, p = off[0], q = off[1], r = off[2]; i < len; i++, p += sa, q += sb, r += so) o[r] = scalar(op, a[p], b[q]);
        });
        return true;
    }

    /** The scalar float definition the SIMD loops match. */
    static float scalar(BinaryOp op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case POW -> (float) Math.pow(x, y);
            case MAX -> Math.max(x, y); // Math.max/min propagate NaN, as torch.maximum does
            case MIN -> Math.min(x, y);
            case EQ -> x == y ? 1f : 0f;
            case NE -> x != y ? 1f : 0f;
            case LT -> x < y ? 1f : 0f;
            case LE -> x <= y ? 1f : 0f;
            case GT -> x > y ? 1f : 0f;
            case GE -> x >= y ? 1f : 0f;
        };
    }

    /**
     * One contiguous run of out; aS/bS mark an operand that is one value for the whole run. Each op
     * has its own loop with a constant operator: passed as a parameter, the operator would not be
     * intrinsified once the helper is compiled on its own.
     */
    static void run(BinaryOp op, float[] a, int pa, boolean aS, float[] b, int pb, boolean bS, float[] o, int po, int len) {
        int i = 0, ub = VecMath.bound(len), n = F.length();
        FloatVector ca = FloatVector.broadcast(F, a[pa]), cb = FloatVector.broadcast(F, b[pb]);
        FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f);
        switch (op) {
            case ADD -> { for (; i < ub; i += n) ld(a, pa, aS, ca, i).add(ld(b, pb, bS, cb, i)).intoArray(o, po + i); }
            case SUB -> { for (; i < ub; i += n) ld(a, pa, aS, ca, i).sub(ld(b, pb, bS, cb, i)).intoArray(o, po + i); }
            case MUL -> { for (; i < ub; i += n) ld(a, pa, aS, ca, i).mul(ld(b, pb, bS, cb, i)).intoArray(o, po + i); }
            case DIV -> { for (; i < ub; i += n) ld(a, pa, aS, ca, i).div(ld(b, pb, bS, cb, i)).intoArray(o, po + i); }
            case MAX -> { for (; i < ub; i += n) ld(a, pa, aS, ca, i).max(ld(b, pb, bS, cb, i)).intoArray(o, po + i); }
            case MIN -> { for (; i < ub; i += n) ld(a, pa, aS, ca, i).min(ld(b, pb, bS, cb, i)).intoArray(o, po + i); }
            case EQ -> { for (; i < ub; i += n) zero.blend(one, ld(a, pa, aS, ca, i).compare(VectorOperators.EQ, ld(b, pb, bS, cb, i))).intoArray(o, po + i); }
            case NE -> { for (; i < ub; i += n) zero.blend(one, ld(a, pa, aS, ca, i).compare(VectorOperators.NE, ld(b, pb, bS, cb, i))).intoArray(o, po + i); }
            case LT -> { for (; i < ub; i += n) zero.blend(one, ld(a, pa, aS, ca, i).compare(VectorOperators.LT, ld(b, pb, bS, cb, i))).intoArray(o, po + i); }
            case LE -> { for (; i < ub; i += n) zero.blend(one, ld(a, pa, aS, ca, i).compare(VectorOperators.LE, ld(b, pb, bS, cb, i))).intoArray(o, po + i); }
            case GT -> { for (; i < ub; i += n) zero.blend(one, ld(a, pa, aS, ca, i).compare(VectorOperators.GT, ld(b, pb, bS, cb, i))).intoArray(o, po + i); }
            case GE -> { for (; i < ub; i += n) zero.blend(one, ld(a, pa, aS, ca, i).compare(VectorOperators.GE, ld(b, pb, bS, cb, i))).intoArray(o, po + i); }
            case POW -> { } // no exact SIMD pow: Math.pow in double, rounded, as the reference does
        }
        for (; i < len; i++) o[po + i] = scalar(op, a[aS ? pa : pa + i], b[bS ? pb : pb + i]);
    }

    /** Lanes i.. of a run, or the run's single value. */
    private static FloatVector ld(float[] a, int p, boolean scalar, FloatVector c, int i) {
        return scalar ? c : FloatVector.fromArray(F, a, p + i);
    }

    /** out = cond != 0 ? a : b (NaN counts as true, as in the reference). */
    static boolean where(Tensor cond, Tensor x, Tensor y, Tensor out) {
        for (Tensor t : new Tensor[] {cond, x, y, out}) {
            if (t.dtype() != DType.F32 || !(t.storage() instanceof HeapStorage)) return false;
        }
        float[] c = ((HeapStorage) cond.storage()).f32(), a = ((HeapStorage) x.storage()).f32();
        float[] b = ((HeapStorage) y.storage()).f32(), o = ((HeapStorage) out.storage()).f32();
        Iter it = new Iter(cond, x, y, out);
        int sc = it.innerStride(0), sa = it.innerStride(1), sb = it.innerStride(2), so = it.innerStride(3);
        boolean simd = so == 1 && sc <= 1 && sa <= 1 && sb <= 1 && sc >= 0 && sa >= 0 && sb >= 0;
        it.forEach(Iter.GRAIN * 2, (off, len) -> {
            if (simd) {
                whereRun(c, off[0], sc == 0, a, off[1], sa == 0, b, off[2], sb == 0, o, off[3], len);
            } else {
                for (int i = 0, pc = off[0], p = off[1], q = off[2], r = off[3]; i < len; i++, pc += sc, p += sa, q += sb, r += so) {
                    o[r] = c[pc] != 0 ? a[p] : b[q];
                }
            }
        });
        return true;
    }

    private static void whereRun(float[] c, int pc, boolean cS, float[] a, int pa, boolean aS, float[] b, int pb, boolean bS,
                                 float[] o, int po, int len) {
        int i = 0, ub = VecMath.bound(len), n = F.length();
        FloatVector cc = FloatVector.broadcast(F, c[pc]), ca = FloatVector.broadcast(F, a[pa]), cb = FloatVector.broadcast(F, b[pb]);
        for (; i < ub; i += n) {
            FloatVector m = cS ? cc : FloatVector.fromArray(F, c, pc + i);
            FloatVector x = aS ? ca : FloatVector.fromArray(F, a, pa + i);
            FloatVector y = bS ? cb : FloatVector.fromArray(F, b, pb + i);
            y.blend(x, m.compare(VectorOperators.NE, 0f)).intoArray(o, po + i);
        }
        for (; i < len; i++) o[po + i] = c[cS ? pc : pc + i] != 0 ? a[aS ? pa : pa + i] : b[bS ? pb : pb + i];
    }
}

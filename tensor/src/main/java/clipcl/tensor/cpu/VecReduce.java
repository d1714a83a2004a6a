package clipcl.tensor.cpu;

import static clipcl.tensor.cpu.VecMath.F;

import clipcl.tensor.DType;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.ReduceOp;
import clipcl.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Reductions of an F32 tensor along one dimension. When that dimension is contiguous, each output
 * element reduces one contiguous row with SIMD. Otherwise outputs that are contiguous neighbours
 * are reduced together: the slices x[..., k, ...] are combined into the output run one k at a
 * time, which is SIMD again for sum/max/min. Each output element is computed by one thread, so the
 * result does not depend on the thread count.
 */
final class VecReduce {
    private VecReduce() { }

    static boolean reduce(ReduceOp op, Tensor x, int dim, Tensor out) {
        boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
        if (x.dtype() != DType.F32 || out.dtype() != (arg ? DType.I32 : DType.F32)) return false;
        if (!(x.storage() instanceof HeapStorage hx) || !(out.storage() instanceof HeapStorage ho)) return false;
        float[] a = hx.f32();
        float[] of = arg ? null : ho.f32();
        int[] oi = arg ? ho.i32() : null;
        int n = x.dim(dim), sd = x.stride(dim);
        if (out.numel() == 0) return true;
        if (n == 0) { // only sum gets here: the front end rejects the others
            VecCopy.fill(out, 0);
            return true;
        }
        Iter it = new Iter(drop(x.dims(), dim), new int[][] {drop(x.strides(), dim), drop(out.strides(), dim)},
                new int[] {x.offset(), out.offset()});
        int sx = it.innerStride(0), so = it.innerStride(1);
        int grain = Math.max(1, Iter.GRAIN / n);
        if (sd == 1 || n == 1) {
            it.forEach(grain, (off, len) -> {
                for (int j = 0, p = off[0], q = off[1]; j < len; j++, p += sx, q += so) {
                    switch (op) {
                        case SUM -> of[q] = sumRow(a, p, n);
                        case MAX -> of[q] = maxRow(a, p, n, true);
                        case MIN -> of[q] = maxRow(a, p, n, false);
                        case ARGMAX -> oi[q] = argRow(a, p, n, true);
                        case ARGMIN -> oi[q] = argRow(a, p, n, false);
                    }
                }
            });
            return true;
        }
        it.forEach(grain, (off, len) -> {
            if (!arg && sx == 1 && so == 1) {
                combineRuns(op, a, off[0], sd, n, of, off[1], len);
                return;
            }
            for (int j = 0, p = off[0], q = off[1]; j < len; j++, p += sx, q += so) {
                if (arg) oi[q] = argStrided(a, p, sd, n, op == ReduceOp.ARGMAX);
                else of[q] = reduceStrided(op, a, p, sd, n);
            }
        });
        return true;
    }

    static int[] drop(int[] v, int i) {
        int[] r = new int[v.length - 1];
        for (int s = 0, d = 0; s < v.length; s++) if (s != i) r[d++] = v[s];
        return r;
    }

    static float sumRow(float[] a, int p, int n) {
        int i = 0, ub = VecMath.bound(n), l = F.length();
        float s = 0;
        if (ub > 0) {
            FloatVector acc = FloatVector.zero(F);
            for (; i < ub; i += l) acc = acc.add(FloatVector.fromArray(F, a, p + i));
            s = Lanes.sum(acc);
        }
        for (; i < n; i++) s += a[p + i];
        return s;
    }

    /** max (or min) of a contiguous row; NaN if any element is NaN (Math.max semantics). */
    static float maxRow(float[] a, int p, int n, boolean max) {
        int i = 0, ub = VecMath.bound(n), l = F.length();
        float m = a[p];
        if (ub > 0) {
            FloatVector acc = FloatVector.fromArray(F, a, p);
            for (i = l; i < ub; i += l) {
                FloatVector v = FloatVector.fromArray(F, a, p + i);
                acc = max ? acc.max(v) : acc.min(v);
            }
            m = acc.reduceLanes(max ? VectorOperators.MAX : VectorOperators.MIN);
        }
        for (; i < n; i++) m = max ? Math.max(m, a[p + i]) : Math.min(m, a[p + i]);
        return m;
    }

    /** Index of the first NaN if there is one, else of the first extreme. */
    static int argRow(float[] a, int p, int n, boolean max) {
        float m = maxRow(a, p, n, max);
        boolean nan = m != m;
        int i = 0, ub = VecMath.bound(n), l = F.length();
        for (; i < ub; i += l) {
            FloatVector v = FloatVector.fromArray(F, a, p + i);
            int f = (nan ? v.test(VectorOperators.IS_NAN) : v.eq(m)).firstTrue();
            if (f < l) return i + f;
        }
        for (; i < n; i++) {
            float e = a[p + i];
            if (nan ? e != e : e == m) return i;
        }
        throw new IllegalStateException("argmax: extreme not found (cannot happen)");
    }

    static float reduceStrided(ReduceOp op, float[] a, int p, int sd, int n) {
        float acc = a[p];
        for (int k = 1; k < n; k++) {
            float e = a[p + k * sd];
            acc = switch (op) {
                case SUM -> acc + e;
                case MAX -> Math.max(acc, e);
                default -> Math.min(acc, e);
            };
        }
        return acc;
    }

    static int argStrided(float[] a, int p, int sd, int n, boolean max) {
        int best = 0;
        float cur = a[p];
        for (int k = 1; k < n && cur == cur; k++) {
            float e = a[p + k * sd];
            if (e != e || (max ? e > cur : e < cur)) { best = k; cur = e; }
        }
        return best;
    }

    /** o[q..q+len) = op over k of a[p + k*sd .. + len): len neighbouring outputs at once. */
    static void combineRuns(ReduceOp op, float[] a, int p, int sd, int n, float[] o, int q, int len) {
        System.arraycopy(a, p, o, q, len);
        int ub = VecMath.bound(len), l = F.length();
        for (int k = 1; k < n; k++) {
            int base = p + k * sd;
            int i = 0;
            for (; i < ub; i += l) {
                FloatVector acc = FloatVector.fromArray(F, o, q + i), v = FloatVector.fromArray(F, a, base + i);
                (switch (op) {
                    case SUM -> acc.add(v);
                    case MAX -> acc.max(v);
                    default -> acc.min(v);
                }).intoArray(o, q + i);
            }
            for (; i < len; i++) {
                float e = a[base + i];
                o[q + i] = switch (op) {
                    case SUM -> o[q + i] + e;
                    case MAX -> Math.max(o[q + i], e);
                    default -> Math.min(o[q + i], e);
                };
            }
        }
    }
}

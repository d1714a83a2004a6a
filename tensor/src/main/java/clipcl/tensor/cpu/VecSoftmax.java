package clipcl.tensor.cpu;

import static clipcl.tensor.cpu.VecMath.F;

import clipcl.tensor.DType;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * softmax / log_softmax of F32 along one dimension. A contiguous row is read from memory once: the
 * max pass brings it into L1, the exp pass writes exp(x - max) to the output, a pass sums it, and
 * the last pass scales it in place (log_softmax: writes x - max - log(sum)). Other
 * dimensions take the same passes with a stride, scalar.
 */
final class VecSoftmax {
    private VecSoftmax() { }

    static boolean softmax(Tensor x, int dim, boolean log, Tensor out) {
        if (x.dtype() != DType.F32 || out.dtype() != DType.F32) return false;
        if (!(x.storage() instanceof HeapStorage hx) || !(out.storage() instanceof HeapStorage ho)) return false;
        float[] a = hx.f32(), o = ho.f32();
        int n = x.dim(dim), sx = x.stride(dim), so = out.stride(dim);
        if (n == 0 || x.numel() == 0) return true;
        Iter it = new Iter(VecReduce.drop(x.dims(), dim), new int[][] {VecReduce.drop(x.strides(), dim), VecReduce.drop(out.strides(), dim)},
                new int[] {x.offset(), out.offset()});
        int ix = it.innerStride(0), io = it.innerStride(1);
        boolean rows = (sx == 1 && so == 1) || n == 1;
        it.forEach(Math.max(1, Iter.GRAIN / (4 * n)), (off, len) -> {
            for (int j = 0, p = off[0], q = off[1]; j < len; j++, p += ix, q += io) {
                if (rows) row(a, p, o, q, n, log);
                else strided(a, p, sx, o, q, so, n, log);
            }
        });
        return true;
    }

    /** Lane indices, for the masks of a row's last, overlapping vector. */
    private static final float[] IOTA = new float[F.length()];

    static {
        for (int i = 0; i < IOTA.length; i++) IOTA[i] = i;
    }

    /**
     * One contiguous row of n: o[q..q+n) = softmax(a[p..p+n)). Rows of at least one vector run in
     * whole vectors only: a row whose length is not a multiple of the lane count ends with a
     * vector that overlaps the one before (for 77 = 4 x 16 + 13, the last covers 61..76), and the
     * lanes already done are masked out of the sum and the scaling. This replaces a scalar tail
     * that cost as much as the vectors (13 scalar exps per row of 77). exp runs as its own pass,
     * VecMath's array loop, over the row (in L1): no method of ours takes or returns a
     * vector here, so no inlining decision of C2's can box one (a fused exp did get boxed when C2
     * compiled the row loop of a one-thread run on the stack: rows of 77 took 7.7 ms, not 0.4).
     * Each element's exp has the same bits as the scalar twin's.
     */
    static void row(float[] a, int p, float[] o, int q, int n, boolean log) {
        int l = F.length();
        if (VecMath.SCALAR || n < l) {
            rowScalar(a, p, o, q, n, log);
            return;
        }
        FloatVector acc = FloatVector.fromArray(F, a, p + n - l); // max is indifferent to overlap
        for (int i = 0; i + l <= n; i += l) acc = acc.max(FloatVector.fromArray(F, a, p + i));
        float mx = acc.reduceLanes(VectorOperators.MAX);
        if (mx == Float.NEGATIVE_INFINITY) mx = 0; // an all -inf row gives 0/0 = NaN, as torch
        VecMath.exp(a, p, 1f, mx, o, q, n); // exp(x - max)
        FloatVector sum = FloatVector.zero(F);
        for (int i = 0; i < n; i += l) {
            int at = Math.min(i, n - l);
            FloatVector e = FloatVector.fromArray(F, o, q + at);
            if (at < i) e = e.blend(0f, FloatVector.fromArray(F, IOTA, 0).compare(VectorOperators.LT, i - at));
            sum = sum.add(e);
        }
        float s = Lanes.sum(sum);
        if (log) {
            float shift = VecMath.log(s);
            for (int i = 0; i < n; i += l) {
                int at = Math.min(i, n - l);
                FloatVector.fromArray(F, a, p + at).sub(mx).sub(shift).intoArray(o, q + at);
            }
        } else {
            float inv = 1f / s;
            for (int i = 0; i < n; i += l) {
                int at = Math.min(i, n - l);
                FloatVector v = FloatVector.fromArray(F, o, q + at);
                FloatVector w = v.mul(inv);
                if (at < i) w = v.blend(w, FloatVector.fromArray(F, IOTA, 0).compare(VectorOperators.GE, i - at));
                w.intoArray(o, q + at);
            }
        }
    }

    /** The scalar reference of {@link #row}. */
    static void rowScalar(float[] a, int p, float[] o, int q, int n, boolean log) {
        strided(a, p, 1, o, q, 1, n, log);
    }

    /** The same along a strided dimension. */
    static void strided(float[] a, int p, int sa, float[] o, int q, int so, int n, boolean log) {
        float m = a[p];
        for (int k = 1; k < n; k++) m = Math.max(m, a[p + k * sa]);
        if (m == Float.NEGATIVE_INFINITY) m = 0;
        float s = 0;
        for (int k = 0; k < n; k++) {
            float e = VecMath.exp(a[p + k * sa] - m);
            if (!log) o[q + k * so] = e;
            s += e;
        }
        if (log) {
            float shift = VecMath.log(s);
            for (int k = 0; k < n; k++) o[q + k * so] = (a[p + k * sa] - m) - shift;
        } else {
            float inv = 1f / s;
            for (int k = 0; k < n; k++) o[q + k * so] *= inv;
        }
    }
}

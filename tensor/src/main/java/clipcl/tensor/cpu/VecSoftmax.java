package clipcl.tensor.cpu;

import static clipcl.tensor.cpu.VecMath.F;

import clipcl.tensor.DType;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * softmax / log_softmax of F32 along one dimension. A contiguous row is read from memory once: the
 * max pass brings it into L1, the exp pass writes exp(x - max) to the output while summing, and the
 * last pass scales the output in place (log_softmax: writes x - max - log(sum)). Other dimensions
 * take the same three passes with a stride, scalar.
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

    /**
     * One contiguous row of n: o[q..q+n) = softmax(a[p..p+n)). Full vectors, then a scalar tail with
     * the scalar twin of the vector exp (same bits per element). A masked tail was tried: when C2
     * compiles the calling row loop by on-stack replacement it did not keep the masked operations
     * intrinsic, and rows of 77 ran 20x slower on one thread.
     */
    static void row(float[] a, int p, float[] o, int q, int n, boolean log) {
        if (VecMath.SCALAR) {
            rowScalar(a, p, o, q, n, log);
            return;
        }
        int l = F.length(), ub = F.loopBound(n);
        float mx = Float.NEGATIVE_INFINITY;
        if (ub > 0) {
            FloatVector acc = FloatVector.fromArray(F, a, p);
            for (int i = l; i < ub; i += l) acc = acc.max(FloatVector.fromArray(F, a, p + i));
            mx = acc.reduceLanes(VectorOperators.MAX);
        }
        for (int i = ub; i < n; i++) mx = Math.max(mx, a[p + i]);
        if (mx == Float.NEGATIVE_INFINITY) mx = 0; // an all -inf row gives 0/0 = NaN, as torch
        FloatVector vm = FloatVector.broadcast(F, mx);
        float s = 0;
        if (ub > 0) {
            FloatVector sum = FloatVector.zero(F);
            for (int i = 0; i < ub; i += l) {
                FloatVector e = VecMath.exp(FloatVector.fromArray(F, a, p + i).sub(vm));
                if (!log) e.intoArray(o, q + i);
                sum = sum.add(e);
            }
            s = Lanes.sum(sum);
        }
        for (int i = ub; i < n; i++) {
            float e = VecMath.exp(a[p + i] - mx);
            if (!log) o[q + i] = e;
            s += e;
        }
        if (log) {
            float shift = VecMath.log(s);
            FloatVector vs = FloatVector.broadcast(F, shift);
            for (int i = 0; i < ub; i += l) FloatVector.fromArray(F, a, p + i).sub(vm).sub(vs).intoArray(o, q + i);
            for (int i = ub; i < n; i++) o[q + i] = a[p + i] - mx - shift;
        } else {
            float inv = 1f / s;
            for (int i = 0; i < ub; i += l) FloatVector.fromArray(F, o, q + i).mul(inv).intoArray(o, q + i);
            for (int i = ub; i < n; i++) o[q + i] *= inv;
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

package clipcl.tensor.cpu;

import static clipcl.tensor.cpu.VecMath.F;

import clipcl.tensor.DType;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Tensor;
import jdk.incubator.vector.FloatVector;

/**
 * LayerNorm of F32 over a contiguous last dimension. Per row: the mean (summed relative to the
 * row's first element), then the variance as the mean of squared deviations (two-pass, no cancellation when the mean is large, as in CLIP's
 * residual stream), then normalise and apply the affine map in one fused pass. The row (768 floats
 * for ViT-B) stays in L1 between the passes, so memory sees one read and one write.
 */
final class VecLayerNorm {
    private VecLayerNorm() { }

    static boolean layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out) {
        for (Tensor t : new Tensor[] {x, weight, bias, out}) {
            if (t != null && (t.dtype() != DType.F32 || !(t.storage() instanceof HeapStorage))) return false;
        }
        int n = x.dim(-1);
        if (n > 1 && (x.stride(-1) != 1 || out.stride(-1) != 1)) return false;
        if (n > 1 && ((weight != null && weight.stride(0) != 1) || (bias != null && bias.stride(0) != 1))) return false;
        if (n == 0 || x.numel() == 0) return true;
        float[] a = ((HeapStorage) x.storage()).f32(), o = ((HeapStorage) out.storage()).f32();
        float[] w = weight == null ? null : ((HeapStorage) weight.storage()).f32();
        float[] b = bias == null ? null : ((HeapStorage) bias.storage()).f32();
        int wo = weight == null ? 0 : weight.offset(), bo = bias == null ? 0 : bias.offset();
        int r = x.rank();
        Iter it = new Iter(VecReduce.drop(x.dims(), r - 1), new int[][] {VecReduce.drop(x.strides(), r - 1), VecReduce.drop(out.strides(), r - 1)},
                new int[] {x.offset(), out.offset()});
        int ix = it.innerStride(0), io = it.innerStride(1);
        float feps = (float) eps;
        it.forEach(Math.max(1, Iter.GRAIN / (2 * n)), (off, len) -> {
            for (int j = 0, p = off[0], q = off[1]; j < len; j++, p += ix, q += io) row(a, p, o, q, n, w, wo, b, bo, feps);
        });
        return true;
    }

    static void row(float[] a, int p, float[] o, int q, int n, float[] w, int wo, float[] b, int bo, float eps) {
        int ub = VecMath.bound(n), l = F.length();
        // Sum of x - x[0]: a row riding on a large offset (x ~ 500 +- 1) would otherwise lose the
        // mean's low bits in partial sums of ~10^4.
        float c = a[p];
        FloatVector vc = FloatVector.broadcast(F, c);
        float s = 0;
        int i = 0;
        if (ub > 0) {
            FloatVector acc = FloatVector.zero(F);
            for (; i < ub; i += l) acc = acc.add(FloatVector.fromArray(F, a, p + i).sub(vc));
            s = Lanes.sum(acc);
        }
        for (; i < n; i++) s += a[p + i] - c;
        float mean = c + s / n;
        FloatVector vm = FloatVector.broadcast(F, mean);
        float ss = 0;
        i = 0;
        if (ub > 0) {
            FloatVector acc = FloatVector.zero(F);
            for (; i < ub; i += l) {
                FloatVector d = FloatVector.fromArray(F, a, p + i).sub(vm);
                acc = d.fma(d, acc);
            }
            ss = Lanes.sum(acc);
        }
        for (; i < n; i++) {
            float d = a[p + i] - mean;
            ss = Math.fma(d, d, ss);
        }
        float rstd = (float) (1.0 / Math.sqrt((double) (ss / n) + eps));
        i = 0;
        for (; i < ub; i += l) {
            FloatVector y = FloatVector.fromArray(F, a, p + i).sub(vm).mul(rstd);
            if (w != null) y = y.mul(FloatVector.fromArray(F, w, wo + i));
            if (b != null) y = y.add(FloatVector.fromArray(F, b, bo + i));
            y.intoArray(o, q + i);
        }
        for (; i < n; i++) {
            float y = (a[p + i] - mean) * rstd;
            if (w != null) y *= w[wo + i];
            if (b != null) y += b[bo + i];
            o[q + i] = y;
        }
    }
}

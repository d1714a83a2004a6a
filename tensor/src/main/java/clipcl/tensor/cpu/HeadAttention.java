package clipcl.tensor.cpu;

import static clipcl.tensor.cpu.VecMath.F;

import clipcl.tensor.DType;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Parallel;
import clipcl.tensor.Tensor;
import jdk.incubator.vector.FloatVector;

/**
 * Self-attention for inference straight from the packed projection: qkv [B, L, 3D] (rows q, k, v,
 * each D = H heads of Dh) -> out [B, L, D] with the heads already merged. One task per (batch,
 * head): S = Q K^T into an L x L scratch (L1-sized for CLIP's 50 and 77), S * scale + mask and the
 * softmax row by row in place, then P V written into the head's columns of out. Nothing of [B, H,
 * L, L] is materialised, the head split and merge are strides, and the B * H tasks share the
 * threads even at batch 1 (where each product alone is too small to split).
 *
 * <p>The products are {@link Sgemm#single} and the rows {@link VecSoftmax#row}, the kernels the
 * composed path (batched matmul, masked softmax, batched matmul, merge copy) runs, so the result
 * matches it but for the scale, applied here in float (a few ulp). {@link #reference} is the
 * scalar oracle.
 */
final class HeadAttention {
    private HeadAttention() { }

    static boolean applies(Tensor qkv, Tensor mask, Tensor out) {
        if (VecMath.SCALAR || qkv.rank() != 3 || !qkv.isContiguous() || !out.isContiguous()) return false;
        if (qkv.dtype() != DType.F32 || out.dtype() != DType.F32) return false;
        if (!(qkv.storage() instanceof HeapStorage) || !(out.storage() instanceof HeapStorage)) return false;
        return mask == null || mask.storage() instanceof HeapStorage;
    }

    /** Call only when {@link #applies}; mask [L, L] additive or null. */
    static void forward(Tensor qkv, int heads, Tensor mask, float scale, Tensor out) {
        int b = qkv.dim(0), l = qkv.dim(1), d3 = qkv.dim(2), d = d3 / 3, hd = d / heads;
        float[] x = ((HeapStorage) qkv.storage()).f32(), o = ((HeapStorage) out.storage()).f32();
        int xo = qkv.offset(), oo = out.offset();
        float[] m = mask == null ? null : mask.toFloatArray();
        SgemmVariant v = SgemmVariant.active();
        Parallel.forRange(b * heads, 1, (from, to) -> {
            float[] s = new float[l * l];
            for (int t = from; t < to; t++) {
                int bi = t / heads, h = t % heads;
                int q0 = xo + bi * l * d3 + h * hd, k0 = q0 + d, v0 = q0 + 2 * d;
                // S [L, L] = Q [L, hd] K^T: K^T's element (kk, j) is K[j, kk]
                Sgemm.single(v, l, l, hd, x, q0, d3, 1, x, k0, 1, d3, s, 0, l, false);
                for (int i = 0; i < l; i++) {
                    scaleAdd(s, i * l, scale, m, i * l, l);
                    VecSoftmax.row(s, i * l, s, i * l, l, false);
                }
                // out[bi, :, h*hd .. (h+1)*hd) = P [L, L] V [L, hd]
                Sgemm.single(v, l, hd, l, s, 0, l, 1, x, v0, d3, 1, o, oo + bi * l * d + h * hd, d, false);
            }
        });
    }

    /** s[p..p+n) = s * scale + m[q..q+n) (m null: no mask), each element as the scalar (x * scale) + mask. */
    private static void scaleAdd(float[] s, int p, float scale, float[] m, int q, int n) {
        int i = 0, ub = VecMath.bound(n), l = F.length();
        for (; i < ub; i += l) {
            FloatVector y = FloatVector.fromArray(F, s, p + i).mul(scale);
            if (m != null) y = y.add(FloatVector.fromArray(F, m, q + i));
            y.intoArray(s, p + i);
        }
        for (; i < n; i++) s[p + i] = m == null ? s[p + i] * scale : s[p + i] * scale + m[q + i];
    }

    /** The scalar oracle: the same attention in plain loops, in double, rounded to float at the end. */
    static float[] reference(float[] qkv, int b, int l, int heads, int d, float[] mask, double scale) {
        int hd = d / heads, d3 = 3 * d;
        float[] out = new float[b * l * d];
        double[] p = new double[l];
        for (int bi = 0; bi < b; bi++) {
            for (int h = 0; h < heads; h++) {
                int q0 = bi * l * d3 + h * hd, k0 = q0 + d, v0 = q0 + 2 * d;
                for (int i = 0; i < l; i++) {
                    double mx = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < l; j++) {
                        double dot = 0;
                        for (int c = 0; c < hd; c++) dot += (double) qkv[q0 + i * d3 + c] * qkv[k0 + j * d3 + c];
                        p[j] = dot * scale + (mask == null ? 0 : mask[i * l + j]);
                        mx = Math.max(mx, p[j]);
                    }
                    if (mx == Double.NEGATIVE_INFINITY) mx = 0;
                    double sum = 0;
                    for (int j = 0; j < l; j++) sum += p[j] = Math.exp(p[j] - mx);
                    for (int c = 0; c < hd; c++) {
                        double acc = 0;
                        for (int j = 0; j < l; j++) acc += p[j] / sum * qkv[v0 + j * d3 + c];
                        out[(bi * l + i) * d + h * hd + c] = (float) acc;
                    }
                }
            }
        }
        return out;
    }
}

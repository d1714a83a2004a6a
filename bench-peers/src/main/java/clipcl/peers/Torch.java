package clipcl.peers;

import clipcl.tensor.Tensor;
import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * libtorch (JavaCPP) helpers for the in-JVM peers: copies between our tensors and libtorch's, and
 * the functional pieces of OpenAI's CLIP blocks (pre-LN residual block with packed in_proj
 * attention and a QuickGELU MLP), written with libtorch's own ops so that its autograd does the
 * backward.
 */
final class Torch {
    private Torch() { }

    /** A libtorch-owned float32 copy of ours, same shape. */
    static org.bytedeco.pytorch.Tensor copy(Tensor ours) {
        return copy(ours.contiguous().toFloatArray(), ours.dims());
    }

    /** A libtorch-owned float32 copy of x with the given shape. */
    static org.bytedeco.pytorch.Tensor copy(float[] x, int... dims) {
        long[] shape = new long[dims.length];
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[i];
            n *= dims[i];
        }
        if (n != x.length) throw new IllegalArgumentException("copy: " + x.length + " floats for shape " + Arrays.toString(dims));
        try (FloatPointer p = new FloatPointer(x)) {
            return torch.from_blob(p, shape).clone();
        }
    }

    /** A leaf parameter: a copy of ours that requires a gradient. */
    static org.bytedeco.pytorch.Tensor parameter(Tensor ours) {
        org.bytedeco.pytorch.Tensor t = copy(ours);
        t.set_requires_grad(true);
        return t;
    }

    /** The values of a libtorch tensor (any layout), row-major. */
    static float[] values(org.bytedeco.pytorch.Tensor t) {
        org.bytedeco.pytorch.Tensor c = t.detach().contiguous();
        float[] out = new float[(int) c.numel()];
        c.data_ptr_float().get(out);
        return out;
    }

    static org.bytedeco.pytorch.Tensor layerNorm(org.bytedeco.pytorch.Tensor x, org.bytedeco.pytorch.Tensor w, org.bytedeco.pytorch.Tensor b) {
        return torch.layer_norm(x, new long[] {x.size(-1)}, new TensorOptional(w), new TensorOptional(b), 1e-5, false);
    }

    static org.bytedeco.pytorch.Tensor linear(org.bytedeco.pytorch.Tensor x, org.bytedeco.pytorch.Tensor w, org.bytedeco.pytorch.Tensor b) {
        return torch.linear(x, w, new TensorOptional(b));
    }

    /**
     * One residual block, parameters named as OpenAI's state dict under prefix ("ln_1.weight",
     * "attn.in_proj_weight", ...): x + attn(ln_1(x)), then + mlp(ln_2(x)). x [B, L, D], mask
     * [L, L] additive or null. The attention is libtorch's fused scaled_dot_product_attention on
     * per-head views of the packed projection, as torch.nn.MultiheadAttention's fast path.
     */
    static org.bytedeco.pytorch.Tensor block(java.util.function.Function<String, org.bytedeco.pytorch.Tensor> p, String prefix,
                                             org.bytedeco.pytorch.Tensor x, int heads, org.bytedeco.pytorch.Tensor mask) {
        long b = x.size(0), l = x.size(1), d = x.size(2), hd = d / heads;
        org.bytedeco.pytorch.Tensor h = layerNorm(x, p.apply(prefix + "ln_1.weight"), p.apply(prefix + "ln_1.bias"));
        org.bytedeco.pytorch.Tensor qkv = linear(h, p.apply(prefix + "attn.in_proj_weight"), p.apply(prefix + "attn.in_proj_bias")); // [B, L, 3D]
        org.bytedeco.pytorch.Tensor q = qkv.narrow(2, 0, d).reshape(b, l, heads, hd).permute(0, 2, 1, 3);             // [B, H, L, hd]
        org.bytedeco.pytorch.Tensor k = qkv.narrow(2, d, d).reshape(b, l, heads, hd).permute(0, 2, 1, 3);
        org.bytedeco.pytorch.Tensor v = qkv.narrow(2, 2 * d, d).reshape(b, l, heads, hd).permute(0, 2, 1, 3);
        org.bytedeco.pytorch.Tensor o = torch.scaled_dot_product_attention(q, k, v,
                mask == null ? new TensorOptional() : new TensorOptional(mask), 0.0, false, new DoubleOptional(), false);
        org.bytedeco.pytorch.Tensor merged = o.permute(0, 2, 1, 3).reshape(b, l, d);                                  // [B, L, D]
        x = x.add(linear(merged, p.apply(prefix + "attn.out_proj.weight"), p.apply(prefix + "attn.out_proj.bias")));
        h = layerNorm(x, p.apply(prefix + "ln_2.weight"), p.apply(prefix + "ln_2.bias"));
        org.bytedeco.pytorch.Tensor f = linear(h, p.apply(prefix + "mlp.c_fc.weight"), p.apply(prefix + "mlp.c_fc.bias"));
        f = f.mul(torch.sigmoid(f.mul(new Scalar(1.702))));                                                           // QuickGELU
        return x.add(linear(f, p.apply(prefix + "mlp.c_proj.weight"), p.apply(prefix + "mlp.c_proj.bias")));
    }

    /**
     * Max |ours - peer| against the largest |peer|; a stop (no timing) when it exceeds tol of that
     * scale, since the two would not compute the same thing.
     */
    static Diff compare(String what, float[] ours, float[] peer, double tol) {
        if (ours.length != peer.length) throw new IllegalStateException(what + ": ours has " + ours.length + " values, libtorch " + peer.length);
        double diff = 0, scale = 0;
        for (int i = 0; i < ours.length; i++) {
            diff = Math.max(diff, Math.abs((double) ours[i] - peer[i]));
            scale = Math.max(scale, Math.abs(peer[i]));
        }
        Diff d = new Diff(diff, scale);
        if (!(diff <= tol * scale)) {
            throw new IllegalStateException(what + ": ours and libtorch differ by " + d + " (max abs diff (scale)), beyond "
                    + tol + " of the scale: not the same computation; no timing");
        }
        return d;
    }

    /** The largest |ours - peer| and the largest |peer|. */
    record Diff(double diff, double scale) {
        double relative() { return diff / Math.max(Double.MIN_VALUE, scale); }

        @Override
        public String toString() { return String.format(Locale.ROOT, "%.2g (%.2g)", diff, scale); }
    }
}

package clipcl.clip.model;

import clipcl.autograd.F;
import clipcl.autograd.Var;
import clipcl.autograd.nn.Init;
import clipcl.autograd.nn.Linear;
import clipcl.autograd.nn.Module;
import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.OpProfile;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;

/**
 * torch.nn.MultiheadAttention as OpenAI's CLIP stores it: one packed in_proj_weight [3D, D] (rows
 * q, k, v) with in_proj_bias [3D], and out_proj (Linear D -> D). Self-attention on batch-first
 * input [B, L, D]; an optional additive mask [L, L] (0 or -inf, e.g. {@link #causalMask}).
 */
public final class MultiheadAttention extends Module {
    private final int dim, heads;

    public MultiheadAttention(int dim, int heads, Init init) {
        if (heads <= 0 || dim % heads != 0) throw new IllegalArgumentException("MultiheadAttention: width " + dim + " is not divisible by " + heads + " heads");
        this.dim = dim;
        this.heads = heads;
        registerParameter("in_proj_weight", init.xavierUniform(3 * dim, dim));
        registerParameter("in_proj_bias", init.zeros(3 * dim));
        Linear out = registerModule("out_proj", new Linear(dim, dim, init));
        out.bias().data().fill(0); // torch zeroes out_proj.bias in _reset_parameters
    }

    public int dim() { return dim; }

    public int heads() { return heads; }

    /** x [B, L, D], mask [L, L] additive or null -> [B, L, D]. */
    public Var forward(Var x, Tensor mask) {
        if (x.rank() != 3 || x.dim(2) != dim) throw new IllegalArgumentException("MultiheadAttention(" + dim + "): input must be [B, L, " + dim + "], got " + x.shape());
        int b = x.dim(0), l = x.dim(1), hd = dim / heads;
        if (mask != null && (mask.rank() != 2 || mask.dim(0) != l || mask.dim(1) != l)) {
            throw new IllegalArgumentException("MultiheadAttention: mask " + mask.shape() + " does not match sequence length " + l);
        }
        long t = OpProfile.start();
        Var qkv = F.linear(x, param("in_proj_weight"), param("in_proj_bias"));          // [B, L, 3D]
        OpProfile.stop("GEMM qkv (in_proj + bias)", t);
        if (!qkv.requiresGrad()) {
            // Inference: one kernel per (batch, head) from the packed projection, heads merged in place.
            t = OpProfile.start();
            Tensor o = Training.selfAttentionInference(qkv.data(), heads, mask, 1.0 / Math.sqrt(hd));  // [B, L, D]
            if (o != null) {
                OpProfile.stop("attention (fused: QK^T, softmax, PV, merge)", t);
                t = OpProfile.start();
                Var y = this.<Linear>child("out_proj").forward(Var.constant(o));
                OpProfile.stop("GEMM out_proj (+ bias)", t);
                return y;
            }
        }
        // cuBLAS batches products with one stride; the [B, H] batch of a view into the packed
        // projection has two. On a GPU the heads are made dense once here, not by every product of
        // the attention forward and backward; the CPU's products read any strides.
        boolean dense = x.data().device().kind() == Device.Kind.CUDA;
        Var q = heads(qkv.narrow(2, 0, dim), b, l, hd, dense);                        // [B, H, L, hd]
        Var k = heads(qkv.narrow(2, dim, dim), b, l, hd, dense);
        Var v = heads(qkv.narrow(2, 2 * dim, dim), b, l, hd, dense);
        Var o = F.scaledDotProductAttention(q, k, v, mask);                           // [B, H, L, hd], fused
        t = OpProfile.start();
        Var merged = o.permute(0, 2, 1, 3).reshape(b, l, dim);                         // [B, L, D]
        OpProfile.stop("head merge (copy)", t);
        t = OpProfile.start();
        Var y = this.<Linear>child("out_proj").forward(merged);
        OpProfile.stop("GEMM out_proj (+ bias)", t);
        return y;
    }

    private Var heads(Var t, int b, int l, int hd, boolean dense) {
        Var h = t.reshape(b, l, heads, hd).permute(0, 2, 1, 3);
        return dense ? h.contiguous() : h;
    }

    /** OpenAI CLIP's text mask: 0 on and below the diagonal, -inf above. */
    public static Tensor causalMask(int n, DType dtype) { return F.causalMask(n, dtype); }
}

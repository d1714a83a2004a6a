package clipcl.clip.model;

import clipcl.autograd.Var;
import clipcl.autograd.nn.Activation;
import clipcl.autograd.nn.Init;
import clipcl.autograd.nn.LayerNorm;
import clipcl.autograd.nn.Mlp;
import clipcl.autograd.nn.Module;
import clipcl.tensor.OpProfile;
import clipcl.tensor.Tensor;

/**
 * OpenAI CLIP's pre-LN block: x + attn(ln_1(x)), then + mlp(ln_2(x)). Names ln_1, attn, ln_2,
 * mlp.c_fc, mlp.c_proj as in the released state dicts.
 */
public final class ResidualAttentionBlock extends Module {
    public ResidualAttentionBlock(int width, int heads, int mlpHidden, Activation act, Init init) {
        registerModule("attn", new MultiheadAttention(width, heads, init));
        registerModule("ln_1", new LayerNorm(width, init));
        registerModule("mlp", new Mlp(width, mlpHidden, act, init));
        registerModule("ln_2", new LayerNorm(width, init));
    }

    /** CLIP's block: hidden = 4 * width, QuickGELU. */
    public ResidualAttentionBlock(int width, int heads, Init init) { this(width, heads, 4 * width, Activation.QUICK_GELU, init); }

    public MultiheadAttention attn() { return child("attn"); }

    public Mlp mlp() { return child("mlp"); }

    /** x [B, L, D], additive mask [L, L] or null. */
    public Var forward(Var x, Tensor mask) {
        LayerNorm ln1 = child("ln_1"), ln2 = child("ln_2");
        long t = OpProfile.start();
        Var h = ln1.forward(x);
        OpProfile.stop("layer_norm", t);
        h = attn().forward(h, mask);
        t = OpProfile.start();
        x = x.add(h);
        OpProfile.stop("residual add", t);
        t = OpProfile.start();
        h = ln2.forward(x);
        OpProfile.stop("layer_norm", t);
        h = mlp().forward(h);
        t = OpProfile.start();
        x = x.add(h);
        OpProfile.stop("residual add", t);
        return x;
    }
}

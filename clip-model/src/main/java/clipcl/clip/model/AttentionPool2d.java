package clipcl.clip.model;

import clipcl.autograd.F;
import clipcl.autograd.Var;
import clipcl.autograd.nn.Init;
import clipcl.autograd.nn.Linear;
import clipcl.autograd.nn.Module;
import java.util.List;

/**
 * OpenAI's AttentionPool2d: the feature map's pixels, preceded by their mean, plus a learned
 * positional embedding, attend with multi-head attention (separate q/k/v projections, output
 * projection c_proj); the output is the mean token's. Only that token's query is computed: the
 * other rows of OpenAI's attention are discarded, and each row depends on its own query only.
 */
public final class AttentionPool2d extends Module {
    private final int spatial, embedDim, heads;

    public AttentionPool2d(int spatial, int embedDim, int heads, int outputDim, Init init) {
        if (embedDim % heads != 0) throw new IllegalArgumentException("AttentionPool2d: width " + embedDim + " is not a multiple of " + heads + " heads");
        this.spatial = spatial;
        this.embedDim = embedDim;
        this.heads = heads;
        registerParameter("positional_embedding", init.normal(Math.pow(embedDim, -0.5), spatial * spatial + 1, embedDim));
        registerModule("k_proj", new Linear(embedDim, embedDim, init));
        registerModule("q_proj", new Linear(embedDim, embedDim, init));
        registerModule("v_proj", new Linear(embedDim, embedDim, init));
        registerModule("c_proj", new Linear(embedDim, outputDim, init));
    }

    public int heads() { return heads; }

    /** x [B, C, s, s] -> [B, output_dim]. */
    public Var forward(Var x) {
        if (x.rank() != 4 || x.dim(1) != embedDim || x.dim(2) != spatial || x.dim(3) != spatial) {
            throw new IllegalArgumentException("attention pool: input must be [B, " + embedDim + ", " + spatial + ", " + spatial + "], got " + x.shape());
        }
        int b = x.dim(0), t = spatial * spatial + 1, dh = embedDim / heads;
        Var pix = x.reshape(b, embedDim, spatial * spatial).permute(0, 2, 1);           // [B, s*s, C]
        Var tokens = Var.concat(List.of(pix.mean(1, true), pix), 1)                     // [B, T, C]
                .add(param("positional_embedding"));
        Var q = proj("q_proj", tokens.narrow(1, 0, 1)).reshape(b, 1, heads, dh).permute(0, 2, 1, 3); // [B, H, 1, Dh]
        Var k = proj("k_proj", tokens).reshape(b, t, heads, dh).permute(0, 2, 1, 3);                 // [B, H, T, Dh]
        Var v = proj("v_proj", tokens).reshape(b, t, heads, dh).permute(0, 2, 1, 3);
        Var o = F.scaledDotProductAttention(q, k, v, null)                               // [B, H, 1, Dh]
                .permute(0, 2, 1, 3).reshape(b, embedDim);
        return proj("c_proj", o);                                                        // [B, out]
    }

    private Var proj(String name, Var x) { return this.<Linear>child(name).forward(x); }

    /** OpenAI's initialize_parameters: the four projection weights ~ N(0, in_features^-1/2). */
    void initializeLikeOpenAi(Init init) {
        double std = Math.pow(embedDim, -0.5);
        for (String n : new String[] {"q_proj", "k_proj", "v_proj", "c_proj"}) {
            Var w = this.<Linear>child(n).weight();
            w.data().copyFrom(init.normal(std, w.dims()));
        }
    }
}

package clipcl.clip.model;

import clipcl.autograd.Var;
import clipcl.autograd.nn.Activation;
import clipcl.autograd.nn.Init;
import clipcl.autograd.nn.LayerNorm;
import clipcl.autograd.nn.Module;
import clipcl.clip.config.VisionConfig;
import clipcl.tensor.OpProfile;
import java.util.List;

/**
 * OpenAI CLIP's image tower: patchify (conv1), prepend the class token, add positional
 * embeddings, ln_pre, the pre-LN transformer, ln_post on the class token, project to embed_dim.
 * Names follow the released state dicts under the "visual." prefix.
 */
public final class VisionTransformer extends Module {
    private final VisionConfig cfg;

    public VisionTransformer(VisionConfig cfg, int embedDim, Activation act, Init init) {
        this.cfg = cfg;
        int w = cfg.width();
        double scale = Math.pow(w, -0.5);
        registerModule("conv1", new PatchEmbedding(3, w, cfg.patchSize(), init));
        registerParameter("class_embedding", init.normal(scale, w));
        registerParameter("positional_embedding", init.normal(scale, cfg.tokens(), w));
        registerModule("ln_pre", new LayerNorm(w, init));
        registerModule("transformer", new Transformer(w, cfg.layers(), cfg.heads(), 4 * w, act, init));
        registerModule("ln_post", new LayerNorm(w, init));
        registerParameter("proj", init.normal(scale, w, embedDim));
    }

    public VisionConfig config() { return cfg; }

    public Transformer transformer() { return child("transformer"); }

    /** images [B, 3, S, S] (preprocessed) -> image features [B, embed_dim] (unnormalised). */
    public Var forward(Var images) {
        if (images.rank() != 4 || images.dim(1) != 3 || images.dim(2) != cfg.imageSize() || images.dim(3) != cfg.imageSize()) {
            throw new IllegalArgumentException("encode_image: images must be [B, 3, " + cfg.imageSize() + ", " + cfg.imageSize() + "], got " + images.shape());
        }
        int b = images.dim(0), w = cfg.width(), g = cfg.grid();
        long t = OpProfile.start();
        Var x = this.<PatchEmbedding>child("conv1").forward(images);      // [B, W, g, g]
        OpProfile.stop("patch embedding (unfold + GEMM)", t);
        t = OpProfile.start();
        x = x.reshape(b, w, g * g).permute(0, 2, 1);                         // [B, g*g, W]
        Var cls = param("class_embedding").reshape(1, 1, w).expand(b, 1, w); // [B, 1, W]
        x = Var.concat(List.of(cls, x), 1);                                  // [B, T, W]
        x = x.add(param("positional_embedding"));
        OpProfile.stop("class token + positional add", t);
        t = OpProfile.start();
        x = this.<LayerNorm>child("ln_pre").forward(x);
        OpProfile.stop("layer_norm", t);
        x = transformer().forward(x, null);
        t = OpProfile.start();
        Var clsOut = this.<LayerNorm>child("ln_post").forward(x.select(1, 0)); // [B, W]
        Var y = clsOut.matmul(param("proj"));                                   // [B, E]
        OpProfile.stop("ln_post + projection", t);
        return y;
    }
}

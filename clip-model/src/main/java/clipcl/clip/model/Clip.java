package clipcl.clip.model;

import clipcl.autograd.Grad;
import clipcl.autograd.Var;
import clipcl.autograd.nn.Activation;
import clipcl.autograd.nn.Embedding;
import clipcl.autograd.nn.Init;
import clipcl.autograd.nn.LayerNorm;
import clipcl.autograd.nn.Module;
import clipcl.clip.config.ClipConfig;
import clipcl.clip.config.TextConfig;
import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.OpProfile;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's CLIP with a ViT or ModifiedResNet image tower, parameter for parameter: the names of
 * {@link #stateDict()} are those of the released checkpoints ({@code visual.*},
 * {@code transformer.resblocks.*}, {@code token_embedding.weight}, {@code positional_embedding},
 * {@code ln_final.*}, {@code text_projection}, {@code logit_scale}). Trainable end to end.
 */
public final class Clip extends Module {
    private final ClipConfig cfg;

    public Clip(ClipConfig cfg, Init init) {
        this.cfg = cfg;
        Activation act = cfg.quickGelu() ? Activation.QUICK_GELU : Activation.GELU;
        TextConfig t = cfg.text();
        registerModule("visual", cfg.vision().isResNet() ? new ModifiedResNet(cfg.vision(), cfg.embedDim(), init)
                : new VisionTransformer(cfg.vision(), cfg.embedDim(), act, init));
        registerModule("transformer", new Transformer(t.width(), t.layers(), t.heads(), 4 * t.width(), act, init));
        registerModule("token_embedding", new Embedding(t.vocabSize(), t.width(), init));
        registerParameter("positional_embedding", init.normal(0.01, t.contextLength(), t.width()));
        registerModule("ln_final", new LayerNorm(t.width(), init));
        registerParameter("text_projection", init.normal(Math.pow(t.width(), -0.5), t.width(), cfg.embedDim()));
        registerParameter("logit_scale", init.full(Math.log(1 / 0.07)));
        registerBuffer("attn_mask", onDevice(MultiheadAttention.causalMask(t.contextLength(), init.dtype()), init.device()), false);
        initializeLikeOpenAi(init);
    }

    /** A model of this config with OpenAI's initialisation (seeded). */
    public static Clip create(ClipConfig cfg, long seed) { return new Clip(cfg, Init.f32(seed)); }

    /** As {@link #create(ClipConfig, long)}, with the parameters made on device (the same values on every device). */
    public static Clip create(ClipConfig cfg, long seed, Device device) { return new Clip(cfg, Init.f32(seed).on(device)); }

    private static Tensor onDevice(Tensor host, Device device) {
        if (host.device().equals(device)) return host;
        Tensor t = host.to(device);
        host.close();
        return t;
    }

    /** A model holding the given weights (names as OpenAI's state dict); every tensor must be there. */
    public static Clip fromStateDict(ClipConfig cfg, Map<String, Tensor> sd) {
        Clip m = new Clip(cfg, Init.f32(0));
        m.loadStateDict(sd, true);
        return m;
    }

    public ClipConfig config() { return cfg; }

    /** The ViT image tower; fails for a ResNet tower (see {@link #resnet()}). */
    public VisionTransformer visual() {
        if (cfg.vision().isResNet()) throw new IllegalStateException("visual(): this CLIP has a ModifiedResNet image tower; use resnet()");
        return child("visual");
    }

    /** The ModifiedResNet image tower; fails for a ViT tower. */
    public ModifiedResNet resnet() {
        if (!cfg.vision().isResNet()) throw new IllegalStateException("resnet(): this CLIP has a ViT image tower; use visual()");
        return child("visual");
    }

    public Transformer textTransformer() { return child("transformer"); }

    public Var logitScale() { return param("logit_scale"); }

    /** OpenAI's initialize_parameters: std 0.02 token embedding, width^-0.5-scaled attention and MLP. */
    private void initializeLikeOpenAi(Init init) {
        TextConfig t = cfg.text();
        this.<Embedding>child("token_embedding").weight().data().copyFrom(init.normal(0.02, t.vocabSize(), t.width()));
        initBlocks(textTransformer(), init);
        if (cfg.vision().isResNet()) resnet().initializeLikeOpenAi(init);
        else initBlocks(visual().transformer(), init);
    }

    private static void initBlocks(Transformer tr, Init init) {
        int w = tr.width();
        double projStd = Math.pow(w, -0.5) * Math.pow(2.0 * Math.max(1, tr.layers()), -0.5);
        double attnStd = Math.pow(w, -0.5), fcStd = Math.pow(2.0 * w, -0.5);
        for (int i = 0; i < tr.layers(); i++) {
            ResidualAttentionBlock b = tr.block(i);
            Map<String, Var> p = b.namedParameters();
            p.get("attn.in_proj_weight").data().copyFrom(init.normal(attnStd, 3 * w, w));
            p.get("attn.out_proj.weight").data().copyFrom(init.normal(projStd, w, w));
            Var fc = p.get("mlp.c_fc.weight"), proj = p.get("mlp.c_proj.weight");
            fc.data().copyFrom(init.normal(fcStd, fc.dims()));
            proj.data().copyFrom(init.normal(projStd, proj.dims()));
        }
    }

    /** images [B, 3, S, S] -> [B, embed_dim], unnormalised as OpenAI's encode_image returns. */
    public Var encodeImage(Var images) { return cfg.vision().isResNet() ? resnet().forward(images) : visual().forward(images); }

    /** ids I32 [B, context] -> [B, embed_dim]: features at the end-of-text token (the highest id). */
    public Var encodeText(Tensor ids) {
        TextConfig t = cfg.text();
        if (ids.rank() != 2 || ids.dim(1) != t.contextLength()) {
            throw new IllegalArgumentException("encode_text: token ids must be [B, " + t.contextLength() + "], got " + ids.shape());
        }
        if (ids.dtype() != DType.I32) throw new IllegalArgumentException("encode_text: token ids must be I32, got " + ids.dtype());
        int b = ids.dim(0), l = t.contextLength(), w = t.width();
        long t0 = OpProfile.start();
        Var x = this.<Embedding>child("token_embedding").forward(ids);       // [B, L, W]
        x = x.add(param("positional_embedding"));
        OpProfile.stop("token embedding + positional add", t0);
        x = textTransformer().forward(x, buffer("attn_mask"));
        t0 = OpProfile.start();
        x = this.<LayerNorm>child("ln_final").forward(x);
        OpProfile.stop("layer_norm", t0);
        t0 = OpProfile.start();
        // Pooling at the argmax id (EOT), on the ids' device: a gather along the sequence.
        Var pooled;
        try (Tensor eot = ids.argmax(1, true); Tensor e3 = eot.reshape(b, 1, 1); Tensor idx = e3.expand(b, 1, w)) { // [B, 1, W]
            pooled = x.gather(1, idx).reshape(b, w);                                                              // [B, W]
        }
        Var y = pooled.matmul(param("text_projection"));                        // [B, E]
        OpProfile.stop("EOT gather + projection", t0);
        return y;
    }

    /** logits_per_image [N, M] = exp(logit_scale) * cosine(image_i, text_j). */
    public Var logits(Var imageFeatures, Var textFeatures) {
        Var img = imageFeatures.l2Normalize(-1, 1e-12), txt = textFeatures.l2Normalize(-1, 1e-12);
        return img.matmul(txt.mT()).mul(logitScale().exp());
    }

    // ---------------------------------------------------------------- inference helpers (no graph)

    /**
     * encode_image without gradients, in chunks of batch images; returns [N, E] on the model's device.
     * Runs in eval mode (batch norms use their running statistics, as in the model OpenAI's
     * clip.load returns), and restores the mode after.
     */
    public Tensor encodeImages(Tensor images, int batch) {
        List<Tensor> parts = new ArrayList<>();
        int n = images.dim(0);
        boolean training = isTraining();
        eval();
        try (Grad.Mode g = Grad.noGrad()) {
            for (int at = 0; at < n; at += batch) {
                int len = Math.min(batch, n - at);
                try (Scope s = Scope.open()) {
                    Var out = encodeImage(Var.constant(images.narrow(0, at, len).to(device())));   // host chunks are copied over
                    parts.add(s.keep(out.data().contiguous()));
                }
            }
        } finally {
            train(training);
        }
        return join(parts, cfg.embedDim(), device());
    }

    /** encode_text without gradients, in chunks; ids I32 [M, context] -> [M, E]. */
    public Tensor encodeTexts(Tensor ids, int batch) {
        List<Tensor> parts = new ArrayList<>();
        int n = ids.dim(0);
        try (Grad.Mode g = Grad.noGrad()) {
            for (int at = 0; at < n; at += batch) {
                int len = Math.min(batch, n - at);
                try (Scope s = Scope.open()) {
                    Var out = encodeText(ids.narrow(0, at, len).contiguous().to(device()));
                    parts.add(s.keep(out.data().contiguous()));
                }
            }
        }
        return join(parts, cfg.embedDim(), device());
    }

    private static Tensor join(List<Tensor> parts, int e, Device device) {
        if (parts.isEmpty()) return Tensor.empty(DType.F32, device, 0, e);
        return parts.size() == 1 ? parts.get(0) : Tensor.concat(parts, 0);
    }
}

package clipcl.clip.model;

import clipcl.autograd.F;
import clipcl.autograd.Var;
import clipcl.autograd.nn.BatchNorm2d;
import clipcl.autograd.nn.Conv2d;
import clipcl.autograd.nn.Init;
import clipcl.autograd.nn.Module;
import clipcl.autograd.nn.Sequential;
import clipcl.clip.config.VisionConfig;
import clipcl.tensor.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * OpenAI CLIP's ResNet image tower: a three-convolution stem (3x3 stride 2, 3x3, 3x3, each with
 * batch norm and ReLU) and a 2x2 average pool, four stages of {@link Bottleneck} blocks (widths
 * w, 2w, 4w, 8w, the last three downsampling by 2 with average pools), and an
 * {@link AttentionPool2d} over the 32x-reduced map to embed_dim. Names follow the released state
 * dicts under "visual." (conv1, bn1, ..., layer1.0.conv1, ..., attnpool.q_proj).
 */
public final class ModifiedResNet extends Module {
    private final VisionConfig cfg;

    public ModifiedResNet(VisionConfig cfg, int embedDim, Init init) {
        if (!cfg.isResNet()) throw new IllegalArgumentException("ModifiedResNet: vision_cfg has no list of ResNet stages: " + cfg);
        this.cfg = cfg;
        int w = cfg.width();
        registerModule("conv1", new Conv2d(3, w / 2, 3, 2, 1, false, init));
        registerModule("bn1", new BatchNorm2d(w / 2, init));
        registerModule("conv2", new Conv2d(w / 2, w / 2, 3, 1, 1, false, init));
        registerModule("bn2", new BatchNorm2d(w / 2, init));
        registerModule("conv3", new Conv2d(w / 2, w, 3, 1, 1, false, init));
        registerModule("bn3", new BatchNorm2d(w, init));
        int inplanes = w;
        for (int s = 0; s < 4; s++) {
            int planes = w << s, stride = s == 0 ? 1 : 2;
            List<Bottleneck> blocks = new ArrayList<>();
            for (int i = 0; i < cfg.resnetLayers().get(s); i++) {
                blocks.add(new Bottleneck(inplanes, planes, i == 0 ? stride : 1, init));
                inplanes = planes * Bottleneck.EXPANSION;
            }
            registerModule("layer" + (s + 1), new Sequential<>(blocks));
        }
        registerModule("attnpool", new AttentionPool2d(cfg.grid(), w * VisionConfig.RESNET_REDUCTION, cfg.heads(), embedDim, init));
    }

    public VisionConfig config() { return cfg; }

    public AttentionPool2d attnpool() { return child("attnpool"); }

    /** images [B, 3, S, S] (preprocessed) -> image features [B, embed_dim] (unnormalised). */
    public Var forward(Var images) {
        if (images.rank() != 4 || images.dim(1) != 3 || images.dim(2) != cfg.imageSize() || images.dim(3) != cfg.imageSize()) {
            throw new IllegalArgumentException("encode_image: images must be [B, 3, " + cfg.imageSize() + ", " + cfg.imageSize() + "], got " + images.shape());
        }
        Var x = images;
        for (int i = 1; i <= 3; i++) {
            BatchNorm2d bn = child("bn" + i);
            Conv2d conv = child("conv" + i);
            x = scoped(x, v -> bn.forward(conv.forward(v)).relu());
        }
        x = F.avgPool2d(x, 2, 2);
        for (int s = 1; s <= 4; s++) {
            Sequential<Bottleneck> stage = child("layer" + s);
            for (int i = 0; i < stage.size(); i++) x = scoped(x, stage.get(i)::forward);
        }
        return attnpool().forward(x);
    }

    /**
     * f(x) with its intermediate tensors released as soon as it returns: only the result's tensor
     * leaves the scope. The graph keeps what backward needs by its own references, so this holds
     * in training too; without it a batch's every intermediate map would live until the caller's
     * scope closes.
     */
    private static Var scoped(Var x, UnaryOperator<Var> f) {
        try (Scope s = Scope.open()) {
            Var y = f.apply(x);
            s.keep(y.data());
            return y;
        }
    }

    /**
     * Freezes every batch norm's statistics (running statistics in every mode, never updated), as
     * for fine-tuning with small batches; returns how many there are.
     */
    public int freezeBatchNorm(boolean frozen) {
        int n = 0;
        for (Module m : namedModules().values()) {
            if (m instanceof BatchNorm2d bn) {
                bn.setFrozen(frozen);
                n++;
            }
        }
        return n;
    }

    /** OpenAI's initialize_parameters: attention-pool projections ~ N(0, C^-1/2), every bn3 gain zero. */
    void initializeLikeOpenAi(Init init) {
        attnpool().initializeLikeOpenAi(init);
        for (Map.Entry<String, Var> e : namedParameters().entrySet()) {
            if (e.getKey().startsWith("layer") && e.getKey().endsWith("bn3.weight")) e.getValue().data().fill(0.0);
        }
    }
}

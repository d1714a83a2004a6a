package clipcl.peers;

import clipcl.autograd.Var;
import clipcl.autograd.optim.ParamGroups;
import clipcl.clip.config.ClipConfig;
import clipcl.clip.model.MultiheadAttention;
import clipcl.tensor.DType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiPredicate;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * OpenAI's CLIP with a ViT image tower, written with libtorch's functional ops (JavaCPP) and
 * trained by libtorch's autograd: the image tower's conv patch embedding, class token, positional
 * embedding, ln_pre, blocks, ln_post on the class token and proj; the text tower's token and
 * positional embeddings, causal-masked blocks, ln_final and projection of the end-of-text token;
 * logits exp(logit_scale) * cosine, the symmetric cross-entropy. One training step is that loss,
 * backward, torch::nn::utils::clip_grad_norm_ (1.0) and torch.optim.AdamW's single-tensor update
 * in libtorch's in-place ops (decoupled weight decay on open_clip's decay group), gradients then
 * set to none as PyTorch's zero_grad does.
 *
 * <p>The parameters are copies of a model of ours, under the same names, so both start equal.
 */
final class LibtorchClip {
    private final ClipConfig cfg;
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Tensor> expAvg = new LinkedHashMap<>(), expAvgSq = new LinkedHashMap<>();
    private final Map<String, Boolean> decayed = new LinkedHashMap<>();
    private final TensorVector all;
    private final Tensor textMask;
    private final double lr, beta1, beta2, eps, weightDecay;
    private int steps;

    /** Copies of ours's named parameters; AdamW's hyper-parameters and open_clip's decay rule as ours uses them. */
    LibtorchClip(ClipConfig cfg, Map<String, Var> ours, double lr, double beta1, double beta2, double eps, double weightDecay) {
        if (cfg.vision().isResNet()) throw new IllegalArgumentException("libtorch CLIP peer: ViT image towers only, not " + cfg);
        this.cfg = cfg;
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        BiPredicate<String, Var> noDecay = ParamGroups.openClipNoDecay(false);
        for (Map.Entry<String, Var> e : ours.entrySet()) {
            if (!e.getValue().requiresGrad()) continue;
            Tensor p = Torch.parameter(e.getValue().data());
            params.put(e.getKey(), p);
            expAvg.put(e.getKey(), torch.zeros_like(p));
            expAvgSq.put(e.getKey(), torch.zeros_like(p));
            decayed.put(e.getKey(), !noDecay.test(e.getKey(), e.getValue()));
        }
        all = new TensorVector(params.values().toArray(new Tensor[0]));
        textMask = Torch.copy(MultiheadAttention.causalMask(cfg.text().contextLength(), DType.F32));
    }

    /** The parameter of that name (OpenAI's state-dict names). */
    Tensor p(String name) {
        Tensor t = params.get(name);
        if (t == null) throw new IllegalStateException("libtorch CLIP peer: no parameter " + name);
        return t;
    }

    /** images [B, 3, S, S] -> [B, E]. */
    Tensor encodeImage(Tensor images) {
        var v = cfg.vision();
        long b = images.size(0), w = v.width(), g = v.grid(), patch = v.patchSize();
        Tensor x = torch.conv2d(images, p("visual.conv1.weight"), new TensorOptional(), new long[] {patch, patch},
                new long[] {0, 0}, new long[] {1, 1}, 1);                                              // [B, W, g, g]
        x = x.reshape(b, w, g * g).permute(0, 2, 1);                                                    // [B, g*g, W]
        Tensor cls = p("visual.class_embedding").reshape(1, 1, w).expand(b, 1, w);                     // [B, 1, W]
        x = torch.cat(new TensorVector(cls, x), 1).add(p("visual.positional_embedding"));             // [B, T, W]
        x = Torch.layerNorm(x, p("visual.ln_pre.weight"), p("visual.ln_pre.bias"));
        for (int i = 0; i < v.layers(); i++) x = Torch.block(this::p, "visual.transformer.resblocks." + i + ".", x, v.heads(), null);
        x = Torch.layerNorm(x.select(1, 0), p("visual.ln_post.weight"), p("visual.ln_post.bias"));    // [B, W]
        return x.matmul(p("visual.proj"));                                                              // [B, E]
    }

    /** ids int64 [B, context] -> [B, E], pooled at the end-of-text token (the highest id). */
    Tensor encodeText(Tensor ids) {
        var t = cfg.text();
        long b = ids.size(0), w = t.width();
        Tensor x = torch.embedding(p("token_embedding.weight"), ids).add(p("positional_embedding"));   // [B, L, W]
        for (int i = 0; i < t.layers(); i++) x = Torch.block(this::p, "transformer.resblocks." + i + ".", x, t.heads(), textMask);
        x = Torch.layerNorm(x, p("ln_final.weight"), p("ln_final.bias"));
        Tensor eot = ids.argmax(new LongOptional(1), false).reshape(b, 1, 1).expand(b, 1, w);          // [B, 1, W]
        return x.gather(1, eot).reshape(b, w).matmul(p("text_projection"));                           // [B, E]
    }

    /** The symmetric contrastive loss of a batch whose i-th image goes with the i-th text. */
    Tensor loss(Tensor images, Tensor ids, Tensor labels) {
        Tensor img = normalize(encodeImage(images)), txt = normalize(encodeText(ids));
        Tensor logits = img.matmul(txt.t()).mul(p("logit_scale").exp());                               // [B, B]
        return torch.cross_entropy(logits, labels).add(torch.cross_entropy(logits.t(), labels)).mul(new Scalar(0.5));
    }

    /** F.normalize(x, dim=-1): x / max(||x||, 1e-12). */
    private static Tensor normalize(Tensor x) {
        return x.div(x.norm(new ScalarOptional(new Scalar(2.0)), new long[] {-1}, true).clamp_min(new Scalar(1e-12)));
    }

    /** One training step; returns {loss, gradient norm before clipping}. */
    double[] step(Tensor images, Tensor ids, Tensor labels) {
        try (PointerScope s = new PointerScope()) {
            Tensor loss = loss(images, ids, labels);
            loss.backward();
            double norm = torch.clip_grad_norm_(all, 1.0);
            adamW();
            for (Tensor p : params.values()) p.mutable_grad().reset();
            return new double[] {loss.item_double(), norm};
        }
    }

    /** torch.optim.AdamW's single-tensor update (_single_tensor_adamw), step count shared by all parameters. */
    private void adamW() {
        steps++;
        double bc1 = 1 - Math.pow(beta1, steps), bc2 = 1 - Math.pow(beta2, steps);
        Scalar shrink = new Scalar(1 - lr * weightDecay), oneMinusB1 = new Scalar(1 - beta1), b2 = new Scalar(beta2),
                oneMinusB2 = new Scalar(1 - beta2), sqrtBc2 = new Scalar(Math.sqrt(bc2)), epsS = new Scalar(eps), step = new Scalar(-lr / bc1);
        try (NoGradGuard g = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                Tensor p = e.getValue(), grad = p.grad();
                if (!grad.defined()) continue;
                if (decayed.get(e.getKey())) p.mul_(shrink);
                Tensor m = expAvg.get(e.getKey()), v = expAvgSq.get(e.getKey());
                m.lerp_(grad, oneMinusB1);
                v.mul_(b2).addcmul_(grad, grad, oneMinusB2);
                Tensor denom = v.sqrt().div_(sqrtBc2).add_(epsS);
                p.addcdiv_(m, denom, step);
            }
        }
    }

    /** The current values of a parameter. */
    float[] values(String name) { return Torch.values(p(name)); }
}

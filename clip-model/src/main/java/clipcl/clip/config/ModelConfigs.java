package clipcl.clip.config;

import clipcl.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Built-in configs of OpenAI's released ViT models, and the config inferred from a state dict's
 * shapes as OpenAI's build_model does. The built-ins use QuickGELU, as OpenAI's weights need; an
 * open_clip JSON config means GELU unless it sets "quick_gelu": true, as in open_clip.
 */
public final class ModelConfigs {
    private ModelConfigs() { }

    private static final Map<String, ClipConfig> BUILT_IN = new LinkedHashMap<>();

    static {
        BUILT_IN.put("ViT-B-32", new ClipConfig(512, true, new VisionConfig(224, 12, 768, 32, 64), new TextConfig(77, 49408, 512, 8, 12)));
        BUILT_IN.put("ViT-B-16", new ClipConfig(512, true, new VisionConfig(224, 12, 768, 16, 64), new TextConfig(77, 49408, 512, 8, 12)));
        BUILT_IN.put("ViT-L-14", new ClipConfig(768, true, new VisionConfig(224, 24, 1024, 14, 64), new TextConfig(77, 49408, 768, 12, 12)));
        BUILT_IN.put("ViT-L-14-336", new ClipConfig(768, true, new VisionConfig(336, 24, 1024, 14, 64), new TextConfig(77, 49408, 768, 12, 12)));
    }

    public static Set<String> names() { return BUILT_IN.keySet(); }

    /** A built-in by name; OpenAI's spellings ("ViT-B/32") and a "-quickgelu" suffix are accepted. */
    public static ClipConfig byName(String name) {
        String n = name.replace('/', '-');
        if (n.toLowerCase(Locale.ROOT).endsWith("-quickgelu")) n = n.substring(0, n.length() - "-quickgelu".length());
        for (Map.Entry<String, ClipConfig> e : BUILT_IN.entrySet()) {
            if (e.getKey().equalsIgnoreCase(n)) return e.getValue();
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; built-in: " + BUILT_IN.keySet() + " (or pass --model-config FILE.json)");
    }

    /** The config that OpenAI's build_model derives from the weights (ViT image towers only). */
    public static ClipConfig infer(Map<String, Tensor> sd) {
        if (!sd.containsKey("visual.proj")) {
            if (sd.containsKey("visual.layer1.0.conv1.weight")) throw new IllegalArgumentException("these weights have a ResNet image tower (visual.layer1...); only ViT models are supported");
            throw new IllegalArgumentException("cannot infer the model config: no 'visual.proj' in the weights (is this a CLIP state dict?)");
        }
        Tensor conv1 = need(sd, "visual.conv1.weight");
        int visionWidth = conv1.dim(0);
        int patch = conv1.dim(-1);
        int visionLayers = countBlocks(sd, "visual.transformer.resblocks.");
        int gridTokens = need(sd, "visual.positional_embedding").dim(0) - 1;
        int grid = (int) Math.round(Math.sqrt(gridTokens));
        if (grid * grid != gridTokens) throw new IllegalArgumentException("visual.positional_embedding has " + (gridTokens + 1) + " rows: not a square grid plus the class token");
        int embedDim = need(sd, "text_projection").dim(1);
        int context = need(sd, "positional_embedding").dim(0);
        int vocab = need(sd, "token_embedding.weight").dim(0);
        int textWidth = need(sd, "ln_final.weight").dim(0);
        int textLayers = countBlocks(sd, "transformer.resblocks.");
        // OpenAI fixes the head width at 64; a model whose widths are not multiples of 64 needs its config given.
        if (visionWidth % 64 != 0 || textWidth % 64 != 0) {
            throw new IllegalArgumentException("cannot infer the number of attention heads: widths " + visionWidth + " (image) and " + textWidth
                    + " (text) are not multiples of OpenAI's head width 64; pass the model config (--model-config FILE.json)");
        }
        return new ClipConfig(embedDim, true,
                new VisionConfig(patch * grid, visionLayers, visionWidth, patch, 64),
                new TextConfig(context, vocab, textWidth, textWidth / 64, textLayers));
    }

    private static Tensor need(Map<String, Tensor> sd, String key) {
        Tensor t = sd.get(key);
        if (t == null) throw new IllegalArgumentException("cannot infer the model config: the weights have no '" + key + "'");
        return t;
    }

    private static int countBlocks(Map<String, Tensor> sd, String prefix) {
        Set<String> ids = new TreeSet<>();
        for (String k : sd.keySet()) {
            if (k.startsWith(prefix)) ids.add(k.substring(prefix.length()).split("\\.")[0]);
        }
        return ids.size();
    }
}

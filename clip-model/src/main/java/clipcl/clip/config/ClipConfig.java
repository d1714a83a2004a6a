package clipcl.clip.config;

import clipcl.tensor.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A CLIP model's shape in open_clip's model-config JSON format:
 * {@code {"embed_dim": 512, "quick_gelu": true, "vision_cfg": {...}, "text_cfg": {...}}}.
 */
public record ClipConfig(int embedDim, boolean quickGelu, VisionConfig vision, TextConfig text) {

    /** Parses open_clip's JSON; absent fields take open_clip's defaults. */
    public static ClipConfig fromJson(String json, String source) {
        Map<String, Object> m;
        try {
            m = Json.parseObject(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
        try {
            Map<String, Object> v = section(m, "vision_cfg", source), t = section(m, "text_cfg", source);
            if (v.containsKey("timm_model_name") && v.get("timm_model_name") != null) throw new IllegalArgumentException("timm image towers are not supported (OpenAI's ViT and ModifiedResNet only)");
            VisionConfig vc = v.get("layers") instanceof java.util.List<?> stages
                    ? VisionConfig.resnet(intOf(v, "image_size", 224), stagesOf(stages), intOf(v, "width", 64), intOf(v, "head_width", 64))
                    : new VisionConfig(intOf(v, "image_size", 224), intOf(v, "layers", 12), intOf(v, "width", 768),
                            intOf(v, "patch_size", 16), intOf(v, "head_width", 64));
            TextConfig tc = new TextConfig(
                    intOf(t, "context_length", 77), intOf(t, "vocab_size", 49408), intOf(t, "width", 512),
                    intOf(t, "heads", 8), intOf(t, "layers", 12));
            Object q = m.get("quick_gelu");
            return new ClipConfig(intOf(m, "embed_dim", 512), q == null || Boolean.TRUE.equals(q), vc, tc);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException(source + ": a field has the wrong type: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
    }

    public static ClipConfig fromFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such model config file");
        return fromJson(Files.readString(file), file.toString());
    }

    public String toJson() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("image_size", vision.imageSize());
        v.put("layers", vision.isResNet() ? vision.resnetLayers() : vision.layers());
        v.put("width", vision.width());
        if (!vision.isResNet()) v.put("patch_size", vision.patchSize());
        v.put("head_width", vision.headWidth());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("context_length", text.contextLength());
        t.put("vocab_size", text.vocabSize());
        t.put("width", text.width());
        t.put("heads", text.heads());
        t.put("layers", text.layers());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("embed_dim", embedDim);
        m.put("quick_gelu", quickGelu);
        m.put("vision_cfg", v);
        m.put("text_cfg", t);
        return Json.pretty(m);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> m, String key, String source) {
        Object o = m.get(key);
        if (o == null) return Map.of();
        if (!(o instanceof Map)) throw new IllegalArgumentException(key + " must be an object");
        return (Map<String, Object>) o;
    }

    /** open_clip's list-valued vision_cfg.layers: Bottleneck blocks per ResNet stage. */
    private static java.util.List<Integer> stagesOf(java.util.List<?> stages) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (Object o : stages) {
            if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) throw new IllegalArgumentException("vision_cfg.layers must list integers, got " + stages);
            out.add(n.intValue());
        }
        return out;
    }

    private static int intOf(Map<String, Object> m, String key, int def) {
        Object o = m.get(key);
        if (o == null) return def;
        if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) throw new IllegalArgumentException(key + " must be an integer, got " + o);
        return n.intValue();
    }
}

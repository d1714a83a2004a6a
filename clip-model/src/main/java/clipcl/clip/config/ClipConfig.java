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
            if (v.get("layers") instanceof java.util.List) throw new IllegalArgumentException("vision_cfg.layers is a list: ResNet image towers are not supported (ViT only)");
            if (v.containsKey("timm_model_name") && v.get("timm_model_name") != null) throw new IllegalArgumentException("timm image towers are not supported (ViT only)");
            VisionConfig vc = new VisionConfig(
                    intOf(v, "image_size", 224), intOf(v, "layers", 12), intOf(v, "width", 768),
                    intOf(v, "patch_size", 16), intOf(v, "head_width", 64));
            TextConfig tc = new TextConfig(
                    intOf(t, "context_length", 77), intOf(t, "vocab_size", 49408), intOf(t, "width", 512),
                    intOf(t, "heads", 8), intOf(t, "layers", 12));
            Object q = m.get("quick_gelu");
            // open_clip's JSON configs mean GELU unless they say "quick_gelu": true (its -quickgelu variants do)
            if (q != null && !(q instanceof Boolean)) throw new IllegalArgumentException("quick_gelu must be true or false, got " + q);
            return new ClipConfig(intOf(m, "embed_dim", 512), Boolean.TRUE.equals(q), vc, tc);
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
        v.put("layers", vision.layers());
        v.put("width", vision.width());
        v.put("patch_size", vision.patchSize());
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

    private static int intOf(Map<String, Object> m, String key, int def) {
        Object o = m.get(key);
        if (o == null) return def;
        if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) throw new IllegalArgumentException(key + " must be an integer, got " + o);
        return n.intValue();
    }
}

package clipcl.clip.config;

import clipcl.tensor.io.BadInputException;
import clipcl.tensor.io.InputLimits;
import clipcl.tensor.io.Json;
import clipcl.tensor.io.TextFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A CLIP model's shape in open_clip's model-config JSON format:
 * {@code {"embed_dim": 512, "quick_gelu": true, "vision_cfg": {...}, "text_cfg": {...}}}.
 */
public record ClipConfig(int embedDim, boolean quickGelu, VisionConfig vision, TextConfig text) {

    private static final Set<String> TOP = Set.of("embed_dim", "quick_gelu", "vision_cfg", "text_cfg");
    private static final Set<String> VISION = Set.of("image_size", "layers", "width", "patch_size", "head_width");
    private static final Set<String> TEXT = Set.of("context_length", "vocab_size", "width", "heads", "layers");
    /** open_clip options that leave a ViT CLIP as this build computes it only at their defaults. */
    private static final Map<String, Object> TOP_DEFAULTS = nullable("custom_text", false, "init_logit_bias", null, "cast_dtype", null, "init_logit_scale", null);
    private static final Map<String, Object> VISION_DEFAULTS = nullable("mlp_ratio", 4.0, "ls_init_value", null, "patch_dropout", 0.0,
            "attentional_pool", false, "no_ln_pre", false, "pos_embed_type", "learnable", "final_ln_after_pool", false, "pool_type", "tok",
            "output_tokens", false, "timm_model_name", null, "timm_model_pretrained", false, "timm_pool", "avg", "timm_proj", "linear",
            "timm_proj_bias", false, "timm_drop", 0.0, "timm_drop_path", null);
    private static final Map<String, Object> TEXT_DEFAULTS = nullable("mlp_ratio", 4.0, "ls_init_value", null, "embed_cls", false,
            "pad_id", 0, "no_causal_mask", false, "final_ln_after_pool", false, "pool_type", "argmax", "proj_bias", false,
            "proj_type", "linear", "output_tokens", false, "hf_model_name", null, "hf_tokenizer_name", null, "tokenizer_kwargs", null);

    /**
     * Parses open_clip's JSON; absent fields take open_clip's defaults. Every refusal is a
     * {@link BadInputException} naming source and the field.
     */
    public static ClipConfig fromJson(String json, String source) {
        Map<String, Object> m = Json.parseObject(json, source);
        Map<String, Object> v = section(m, "vision_cfg", source), t = section(m, "text_cfg", source);
        if (v.get("timm_model_name") != null) throw new BadInputException(source, "vision_cfg.timm_model_name", "timm image towers are not supported (OpenAI's ViT and ModifiedResNet only)");
        ConfigFields.checkKeys(m, null, TOP, TOP_DEFAULTS, source);
        ConfigFields.checkKeys(v, "vision_cfg", VISION, VISION_DEFAULTS, source);
        ConfigFields.checkKeys(t, "text_cfg", TEXT, TEXT_DEFAULTS, source);
        try {
            VisionConfig vc = v.get("layers") instanceof java.util.List<?> stages
                    ? VisionConfig.resnet(intOf(v, "vision_cfg", "image_size", 224, source), stagesOf(stages, source),
                            intOf(v, "vision_cfg", "width", 64, source), intOf(v, "vision_cfg", "head_width", 64, source))
                    : new VisionConfig(
                            intOf(v, "vision_cfg", "image_size", 224, source), intOf(v, "vision_cfg", "layers", 12, source), intOf(v, "vision_cfg", "width", 768, source),
                            intOf(v, "vision_cfg", "patch_size", 16, source), intOf(v, "vision_cfg", "head_width", 64, source));
            TextConfig tc = new TextConfig(
                    intOf(t, "text_cfg", "context_length", 77, source), intOf(t, "text_cfg", "vocab_size", 49408, source), intOf(t, "text_cfg", "width", 512, source),
                    intOf(t, "text_cfg", "heads", 8, source), intOf(t, "text_cfg", "layers", 12, source));
            // open_clip's JSON configs mean GELU unless they say "quick_gelu": true (its -quickgelu variants do)
            return new ClipConfig(intOf(m, null, "embed_dim", 512, source), ConfigFields.boolOf(m, null, "quick_gelu", false, source), vc, tc);
        } catch (BadInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // The records' own checks (positive sizes, divisibility) name the section but not the file.
            String msg = e.getMessage();
            int colon = msg.indexOf(": ");
            throw new BadInputException(source, colon > 0 ? msg.substring(0, colon) : null, colon > 0 ? msg.substring(colon + 2) : msg);
        }
    }

    public static ClipConfig fromFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such model config file");
        return fromJson(TextFiles.readUtf8(file, InputLimits.JSON_MAX_BYTES), file.toString());
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
        if (!(o instanceof Map)) throw new BadInputException(source, key, "must be an object, found " + Json.kind(o));
        return (Map<String, Object>) o;
    }

    /** open_clip's list-valued vision_cfg.layers: Bottleneck blocks per ResNet stage. */
    private static java.util.List<Integer> stagesOf(java.util.List<?> stages, String source) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (Object o : stages) {
            if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
                throw new BadInputException(source, "vision_cfg.layers", "must list integers, got " + stages);
            }
            out.add(n.intValue());
        }
        return out;
    }

    private static int intOf(Map<String, Object> m, String section, String key, int def, String source) {
        return ConfigFields.intOf(m, section, key, def, source);
    }

    /** A map from alternating keys and values, nulls allowed (Map.of refuses them). */
    private static Map<String, Object> nullable(Object... kv) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) out.put((String) kv[i], kv[i + 1]);
        return java.util.Collections.unmodifiableMap(out);
    }
}

package clipcl.clip.weights;

import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hugging Face {@code CLIPModel} tensor names -> OpenAI's. Most names map one to one; the
 * exceptions: HF keeps q/k/v projections apart where OpenAI's {@code nn.MultiheadAttention} holds
 * one {@code in_proj} (rows q, then k, then v), and HF's projections are {@code nn.Linear} weights
 * ([out, in]) where OpenAI multiplies by a [in, out] matrix.
 */
public final class HfNames {
    private static final Pattern LAYER = Pattern.compile("^(vision|text)_model\\.encoder\\.layers\\.(\\d+)\\.(.+)$");
    private static final Map<String, String> LAYER_PARTS = Map.of(
        "self_attn.out_proj", "attn.out_proj",
        "layer_norm1", "ln_1",
        "layer_norm2", "ln_2",
        "mlp.fc1", "mlp.c_fc",
        "mlp.fc2", "mlp.c_proj");
    private static final Map<String, String> FIXED = new LinkedHashMap<>();

    static {
        FIXED.put("vision_model.embeddings.class_embedding", "visual.class_embedding");
        FIXED.put("vision_model.embeddings.patch_embedding.weight", "visual.conv1.weight");
        FIXED.put("vision_model.embeddings.position_embedding.weight", "visual.positional_embedding");
        for (String p : new String[] {"weight", "bias"}) {
            FIXED.put("vision_model.pre_layrnorm." + p, "visual.ln_pre." + p);
            FIXED.put("vision_model.post_layernorm." + p, "visual.ln_post." + p);
            FIXED.put("text_model.final_layer_norm." + p, "ln_final." + p);
        }
        FIXED.put("text_model.embeddings.token_embedding.weight", "token_embedding.weight");
        FIXED.put("text_model.embeddings.position_embedding.weight", "positional_embedding");
        FIXED.put("logit_scale", "logit_scale");
    }

    private HfNames() { }

    /** True when the names are Hugging Face's (any name under vision_model./text_model. or a *_projection.weight). */
    public static boolean isHuggingFace(Collection<String> names) {
        for (String n : names) {
            if (n.startsWith("vision_model.") || n.startsWith("text_model.") || n.equals("visual_projection.weight") || n.equals("text_projection.weight")) return true;
        }
        return false;
    }

    /** {@link #toOpenAi(Map, String)} with errors that name no file. */
    public static Map<String, Tensor> toOpenAi(Map<String, Tensor> hf) { return toOpenAi(hf, "Hugging Face weights"); }

    /**
     * Renames (and for q/k/v and the projections, rebuilds) a Hugging Face CLIPModel state dict
     * with OpenAI's names. The input tensors that are not carried over unchanged are closed;
     * position_ids buffers are dropped.
     *
     * @param source names the file in error messages
     * @throws IllegalArgumentException for a name with no OpenAI counterpart, or an incomplete q/k/v triple
     */
    public static Map<String, Tensor> toOpenAi(Map<String, Tensor> hf, String source) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        // block prefix ("visual.transformer.resblocks.3.attn.") -> {q, k, v} weights and biases
        Map<String, Tensor[]> qkv = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : hf.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name.endsWith("embeddings.position_ids")) {
                t.close();
                continue;
            }
            String fixed = FIXED.get(name);
            if (fixed != null) {
                out.put(fixed, t);
                continue;
            }
            if (name.equals("visual_projection.weight") || name.equals("text_projection.weight")) {
                requireRank(t, 2, name, source);
                Tensor view = t.mT(), moved = view.contiguous(); // [out, in] -> [in, out]
                view.close();
                t.close();
                out.put(name.startsWith("visual") ? "visual.proj" : "text_projection", moved);
                continue;
            }
            Matcher m = LAYER.matcher(name);
            if (!m.matches()) {
                unknown.add(name);
                continue;
            }
            String block = (m.group(1).equals("vision") ? "visual." : "") + "transformer.resblocks." + m.group(2) + ".";
            String rest = m.group(3);
            int dot = rest.lastIndexOf('.');
            String part = dot < 0 ? rest : rest.substring(0, dot), leaf = dot < 0 ? "" : rest.substring(dot + 1);
            String mapped = LAYER_PARTS.get(part);
            if (mapped != null && (leaf.equals("weight") || leaf.equals("bias"))) {
                out.put(block + mapped + "." + leaf, t);
            } else if (part.matches("self_attn\\.[qkv]_proj") && (leaf.equals("weight") || leaf.equals("bias"))) {
                int which = "qkv".indexOf(part.charAt("self_attn.".length()));
                Tensor[] slots = qkv.computeIfAbsent(block + "attn.in_proj_" + leaf, k -> new Tensor[3]);
                slots[which] = t;
            } else {
                unknown.add(name);
            }
        }
        for (Map.Entry<String, Tensor[]> e : qkv.entrySet()) {
            Tensor[] s = e.getValue();
            for (int i = 0; i < 3; i++) {
                if (s[i] == null) {
                    closeAll(out.values(), qkv.values());
                    throw new IllegalArgumentException(source + ": Hugging Face weights have no " + "qkv".charAt(i) + "_proj for " + e.getKey() + " (q, k and v are needed to build in_proj)");
                }
            }
            out.put(e.getKey(), Tensor.concat(List.of(s[0], s[1], s[2]), 0));
            for (Tensor t : s) t.close();
        }
        if (!unknown.isEmpty()) {
            closeAll(out.values(), List.of());
            throw new IllegalArgumentException(source + ": Hugging Face tensor names with no OpenAI CLIP counterpart: " + summarize(unknown));
        }
        return out;
    }

    private static void requireRank(Tensor t, int rank, String name, String source) {
        if (t.rank() != rank) throw new IllegalArgumentException(source + ": " + name + " has shape " + t.shape() + ", expected " + rank + " dimensions");
    }

    private static void closeAll(Collection<Tensor> a, Collection<Tensor[]> b) {
        a.forEach(Tensor::close);
        for (Tensor[] s : b) for (Tensor t : s) if (t != null) t.close();
    }

    static String summarize(List<String> names) {
        int show = Math.min(names.size(), 8);
        String s = String.join(", ", names.subList(0, show));
        return names.size() > show ? s + ", ... (" + names.size() + " in all)" : s;
    }
}

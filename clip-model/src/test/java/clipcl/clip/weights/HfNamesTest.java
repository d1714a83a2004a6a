package clipcl.clip.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HfNamesTest {
    private static Tensor t(int rows, int cols, float base) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = base + i;
        return Tensor.of(v, rows, cols);
    }

    @Test
    void qkvRowsConcatenateInOrderAndProjectionsTranspose() {
        Map<String, Tensor> hf = new LinkedHashMap<>();
        String l = "text_model.encoder.layers.3.self_attn.";
        hf.put(l + "v_proj.weight", t(2, 2, 200));
        hf.put(l + "q_proj.weight", t(2, 2, 0));
        hf.put(l + "k_proj.weight", t(2, 2, 100));
        hf.put(l + "k_proj.bias", Tensor.of(new float[] {3, 4}, 2));
        hf.put(l + "q_proj.bias", Tensor.of(new float[] {1, 2}, 2));
        hf.put(l + "v_proj.bias", Tensor.of(new float[] {5, 6}, 2));
        hf.put("visual_projection.weight", t(2, 3, 0)); // [embed 2, width 3]
        hf.put("vision_model.embeddings.position_ids", Tensor.of(new int[] {0, 1}, 1, 2));
        hf.put("vision_model.encoder.layers.0.mlp.fc2.bias", Tensor.of(new float[] {7}, 1));
        Map<String, Tensor> oa = HfNames.toOpenAi(hf, "x.safetensors");
        assertEquals(Set.of("transformer.resblocks.3.attn.in_proj_weight", "transformer.resblocks.3.attn.in_proj_bias",
            "visual.proj", "visual.transformer.resblocks.0.mlp.c_proj.bias"), oa.keySet());
        Tensor w = oa.get("transformer.resblocks.3.attn.in_proj_weight");
        assertArrayEquals(new int[] {6, 2}, w.dims());
        assertArrayEquals(new float[] {0, 1, 2, 3, 100, 101, 102, 103, 200, 201, 202, 203}, w.toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, oa.get("transformer.resblocks.3.attn.in_proj_bias").toFloatArray());
        Tensor p = oa.get("visual.proj");
        assertArrayEquals(new int[] {3, 2}, p.dims());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, p.toFloatArray());
    }

    @Test
    void detection() {
        assertTrue(HfNames.isHuggingFace(List.of("logit_scale", "text_projection.weight")));
        assertTrue(HfNames.isHuggingFace(List.of("vision_model.post_layernorm.bias")));
        assertFalse(HfNames.isHuggingFace(List.of("logit_scale", "text_projection", "visual.proj")));
    }

    @Test
    void unknownNamesAreListed() {
        Map<String, Tensor> hf = new LinkedHashMap<>();
        hf.put("text_model.encoder.layers.0.self_attn.rotary.weight", t(1, 1, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HfNames.toOpenAi(hf, "y.bin"));
        assertTrue(e.getMessage().startsWith("y.bin: ") && e.getMessage().contains("self_attn.rotary.weight"), e.getMessage());
    }
}

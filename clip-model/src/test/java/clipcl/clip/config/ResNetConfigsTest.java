package clipcl.clip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.DType;
import clipcl.tensor.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ModifiedResNet configs: open_clip's JSON, the built-ins, inference from OpenAI's weight names. */
class ResNetConfigsTest {
    static final String RN50_JSON = """
            {"embed_dim": 1024,
             "vision_cfg": {"image_size": 224, "layers": [3, 4, 6, 3], "width": 64, "patch_size": null},
             "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 512, "heads": 8, "layers": 12}}
            """;

    @Test
    void openClipJsonWithListLayersIsAResNet() {
        ClipConfig c = ClipConfig.fromJson(RN50_JSON, "RN50.json");
        assertTrue(c.vision().isResNet());
        assertEquals(List.of(3, 4, 6, 3), c.vision().resnetLayers());
        assertEquals(16, c.vision().layers());
        assertEquals(32, c.vision().heads(), "width * 32 / 64 heads in the attention pool");
        assertEquals(7, c.vision().grid());
        assertEquals(50, c.vision().tokens());
        // open_clip's RN50.json leaves quick_gelu unset (GELU); OpenAI's built-in RN50 uses QuickGELU.
        ClipConfig builtIn = ModelConfigs.byName("RN50");
        assertEquals(new ClipConfig(builtIn.embedDim(), false, builtIn.vision(), builtIn.text()), c);
        assertEquals(c, ClipConfig.fromJson(c.toJson(), "roundtrip"));
        assertTrue(!c.toJson().contains("patch_size"), c.toJson());
    }

    @Test
    void builtInsFollowOpenClip() {
        assertEquals(List.of(3, 4, 23, 3), ModelConfigs.byName("RN101").vision().resnetLayers());
        ClipConfig x4 = ModelConfigs.byName("RN50x4");
        assertEquals(288, x4.vision().imageSize());
        assertEquals(80, x4.vision().width());
        assertEquals(40, x4.vision().heads());
        assertEquals(640, x4.embedDim());
        assertEquals(384, ModelConfigs.byName("RN50x16").vision().imageSize());
        assertEquals(List.of(3, 15, 36, 10), ModelConfigs.byName("RN50x64").vision().resnetLayers());
        assertEquals(16, ModelConfigs.byName("RN50x64").text().heads());
    }

    @Test
    void badResNetConfigsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipConfig.fromJson("{\"vision_cfg\": {\"layers\": [3, 0, 6, 3]}}", "rn.json"));
        assertTrue(e.getMessage().startsWith("rn.json") && e.getMessage().contains("at least one block"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClipConfig.fromJson("{\"vision_cfg\": {\"layers\": [3, \"x\", 6, 3]}}", "rn.json"));
        assertTrue(e.getMessage().contains("integers"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClipConfig.fromJson("{\"vision_cfg\": {\"layers\": [3, 4, 6, 3], \"image_size\": 16}}", "rn.json"));
        assertTrue(e.getMessage().contains("image_size 16"), e.getMessage());
    }

    static void blocks(Map<String, Tensor> sd, String prefix, int n) {
        for (int i = 0; i < n; i++) sd.put(prefix + i + ".conv1.weight", Tensor.empty(DType.F32, 1, 1, 1, 1));
    }

    @Test
    void infersRN50x4FromShapes() {
        Map<String, Tensor> sd = new HashMap<>();
        blocks(sd, "visual.layer1.", 4);
        blocks(sd, "visual.layer2.", 6);
        blocks(sd, "visual.layer3.", 10);
        blocks(sd, "visual.layer4.", 6);
        sd.put("visual.layer1.0.conv1.weight", Tensor.empty(DType.F32, 80, 80, 1, 1));
        sd.put("visual.attnpool.positional_embedding", Tensor.empty(DType.F32, 82, 2560));
        sd.put("text_projection", Tensor.empty(DType.F32, 640, 640));
        sd.put("positional_embedding", Tensor.empty(DType.F32, 77, 640));
        sd.put("token_embedding.weight", Tensor.empty(DType.F32, 49408, 640));
        sd.put("ln_final.weight", Tensor.empty(DType.F32, 640));
        for (int i = 0; i < 12; i++) sd.put("transformer.resblocks." + i + ".attn.in_proj_weight", Tensor.empty(DType.F32, 1, 1));
        assertEquals(ModelConfigs.byName("RN50x4"), ModelConfigs.infer(sd));
        sd.put("visual.attnpool.positional_embedding", Tensor.empty(DType.F32, 80, 2560));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfigs.infer(sd));
        assertTrue(e.getMessage().contains("visual.attnpool.positional_embedding"), e.getMessage());
    }
}

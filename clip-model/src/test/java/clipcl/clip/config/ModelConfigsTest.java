package clipcl.clip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.DType;
import clipcl.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelConfigsTest {
    @Test
    void parsesOpenClipJsonWithDefaults() {
        ClipConfig c = ClipConfig.fromJson("""
            {"embed_dim": 512, "quick_gelu": false,
             "vision_cfg": {"image_size": 224, "layers": 12, "width": 768, "patch_size": 32},
             "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 512, "heads": 8, "layers": 12}}""", "test");
        assertEquals(512, c.embedDim());
        assertFalse(c.quickGelu());
        assertEquals(12, c.vision().heads());
        assertEquals(50, c.vision().tokens());
        assertEquals(c, ClipConfig.fromJson(c.toJson(), "roundtrip"));
    }

    @Test
    void quickGeluDefaultsToFalseAsInOpenClipAndAnExplicitValueWins() {
        String cfg = "\"vision_cfg\": {\"layers\": 2, \"width\": 64, \"patch_size\": 32}, \"text_cfg\": {\"layers\": 1, \"width\": 64, \"heads\": 1}";
        assertFalse(ClipConfig.fromJson("{" + cfg + "}", "default.json").quickGelu());
        assertTrue(ClipConfig.fromJson("{\"quick_gelu\": true, " + cfg + "}", "quick.json").quickGelu());
        assertFalse(ClipConfig.fromJson("{\"quick_gelu\": false, " + cfg + "}", "gelu.json").quickGelu());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipConfig.fromJson("{\"quick_gelu\": \"yes\", " + cfg + "}", "bad.json"));
        assertTrue(e.getMessage().startsWith("bad.json") && e.getMessage().contains("quick_gelu"), e.getMessage());
        // OpenAI's built-in configs keep QuickGELU
        assertTrue(ModelConfigs.byName("ViT-B-32").quickGelu());
    }

    @Test
    void builtInsAcceptOpenAiSpelling() {
        assertEquals(ModelConfigs.byName("ViT-B-32"), ModelConfigs.byName("ViT-B/32"));
        assertEquals(336, ModelConfigs.byName("vit-l-14-336").vision().imageSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfigs.byName("RN50"));
        assertTrue(e.getMessage().contains("RN50"), e.getMessage());
    }

    @Test
    void badJsonNamesTheSource() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipConfig.fromJson("{\"embed_dim\": \"big\"}", "my.json"));
        assertTrue(e.getMessage().startsWith("my.json"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ClipConfig.fromJson("{\"vision_cfg\": {\"layers\": [3,4,6,3]}}", "rn.json"));
        assertTrue(e.getMessage().contains("ResNet"), e.getMessage());
    }

    @Test
    void infersViTB32FromShapes() {
        Map<String, Tensor> sd = new HashMap<>();
        sd.put("visual.proj", Tensor.empty(DType.F32, 768, 512));
        sd.put("visual.conv1.weight", Tensor.empty(DType.F32, 768, 3, 32, 32));
        sd.put("visual.positional_embedding", Tensor.empty(DType.F32, 50, 768));
        sd.put("text_projection", Tensor.empty(DType.F32, 512, 512));
        sd.put("positional_embedding", Tensor.empty(DType.F32, 77, 512));
        sd.put("token_embedding.weight", Tensor.empty(DType.F32, 49408, 512));
        sd.put("ln_final.weight", Tensor.empty(DType.F32, 512));
        for (int i = 0; i < 12; i++) {
            sd.put("visual.transformer.resblocks." + i + ".attn.in_proj_weight", Tensor.empty(DType.F32, 1, 1));
            sd.put("transformer.resblocks." + i + ".attn.in_proj_weight", Tensor.empty(DType.F32, 1, 1));
        }
        assertEquals(ModelConfigs.byName("ViT-B-32"), ModelConfigs.infer(sd));
        sd.remove("ln_final.weight");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfigs.infer(sd));
        assertTrue(e.getMessage().contains("ln_final.weight"), e.getMessage());
    }
}

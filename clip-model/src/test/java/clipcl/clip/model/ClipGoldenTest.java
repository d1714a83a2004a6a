package clipcl.clip.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.Var;
import clipcl.clip.config.ClipConfig;
import clipcl.clip.weights.StateDict;
import clipcl.clip.weights.WeightLoader;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.Npy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The tiny OpenAI-architecture CLIP of make_weight_fixtures.py, loaded from every weight format,
 * against PyTorch's encode_image / encode_text / logits (make_clip_golden.py).
 */
class ClipGoldenTest {
    static final Path WEIGHTS = Path.of("src/test/resources/weights");
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    static ClipConfig config() throws Exception { return ClipConfig.fromFile(GOLDEN.resolve("config.json")); }

    /** |a - b| <= atol + rtol * |b| elementwise, with the worst element named on failure. */
    static void assertClose(Tensor expected, Tensor actual, double atol, double rtol, String what) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < e.length; i++) {
            double excess = Math.abs(a[i] - e[i]) - (atol + rtol * Math.abs(e[i]));
            if (excess > worstExcess || Double.isNaN(a[i])) { worstExcess = excess; worst = i; }
        }
        if (worst >= 0) throw new AssertionError(what + ": element " + worst + " is " + a[worst] + ", expected " + e[worst]);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "state_dict.pt, ''",
        "openai.safetensors, ''",
        "hf.safetensors, ''",
        "torchscript.pt, torchscript_",
    })
    void encodeMatchesPyTorch(String file, String expectedPrefix) throws Exception {
        ClipConfig cfg = config();
        Clip model;
        try (StateDict sd = WeightLoader.load(WEIGHTS.resolve(file))) {
            model = Clip.fromStateDict(cfg, sd.tensors());
        }
        Tensor images = Npy.read(GOLDEN.resolve("images.npy"));
        Tensor ids = Npy.read(GOLDEN.resolve("text_ids.npy"));
        Tensor img = model.encodeImages(images, 2);
        Tensor txt = model.encodeTexts(ids, 3);
        // hf.safetensors stores a few tensors in fp16: its expected values are those of the fp32 files
        // only up to fp16 rounding of those tensors, so it gets a looser tolerance.
        double atol = file.startsWith("hf") ? 2e-3 : 1e-5, rtol = file.startsWith("hf") ? 2e-2 : 1e-4;
        assertClose(Npy.read(GOLDEN.resolve(expectedPrefix + "image_features.npy")), img, atol, rtol, file + " image features");
        assertClose(Npy.read(GOLDEN.resolve(expectedPrefix + "text_features.npy")), txt, atol, rtol, file + " text features");
        Tensor logits = model.logits(Var.constant(img), Var.constant(txt)).data();
        assertClose(Npy.read(GOLDEN.resolve(expectedPrefix + "logits_per_image.npy")), logits, 1e-4 * 100, rtol, file + " logits");
    }

    @Test
    void stateDictNamesAreOpenAis() throws Exception {
        Clip model = Clip.create(config(), 1);
        Map<String, Tensor> sd = model.stateDict();
        for (String k : new String[] {"visual.conv1.weight", "visual.class_embedding", "visual.transformer.resblocks.1.attn.in_proj_weight",
                "visual.ln_post.bias", "visual.proj", "transformer.resblocks.0.mlp.c_fc.weight", "token_embedding.weight",
                "positional_embedding", "ln_final.weight", "text_projection", "logit_scale"}) {
            assertTrue(sd.containsKey(k), "missing " + k + " in " + sd.keySet());
        }
        assertTrue(!sd.containsKey("attn_mask"), "the causal mask is rebuilt, not stored");
    }

    @Test
    void wrongInputsAreNamed() throws Exception {
        Clip model = Clip.create(config(), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.encodeImages(Tensor.zeros(clipcl.tensor.DType.F32, 1, 3, 8, 8), 1));
        assertTrue(e.getMessage().contains("[B, 3, 16, 16]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.encodeTexts(Tensor.zeros(clipcl.tensor.DType.I32, 2, 5), 2));
        assertTrue(e.getMessage().contains("[B, 8]"), e.getMessage());
        Map<String, Tensor> sd = new HashMap<>(model.stateDict());
        sd.remove("visual.proj");
        e = assertThrows(IllegalArgumentException.class, () -> Clip.fromStateDict(config(), sd));
        assertTrue(e.getMessage().contains("visual.proj"), e.getMessage());
    }
}

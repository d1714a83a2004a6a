package clipcl.clip.weights;

import static clipcl.clip.weights.Fixtures.assertSame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.Tensor;
import clipcl.tensor.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every format the Python script wrote loads to the same OpenAI-named float32 state dict. */
class WeightLoaderTest {
    @Test
    void torchSaveStateDictMatchesExactlyInStateDictOrder() throws IOException {
        Map<String, Tensor> want = Fixtures.expected();
        try (StateDict sd = WeightLoader.load(Fixtures.path("state_dict.pt"))) {
            assertEquals(WeightFormat.TORCH_SAVE, sd.format());
            assertEquals(StateDict.Naming.OPENAI, sd.naming());
            assertEquals(Fixtures.strings(Fixtures.manifest(), "keys"), new ArrayList<>(sd.names()));
            for (String k : want.keySet()) assertSame(k, want.get(k), sd.get(k));
        }
    }

    @Test
    void openClipCheckpointIsUnwrappedAndStrippedAndBf16Widened() throws IOException {
        Map<String, Tensor> want = Fixtures.expected();
        try (StateDict sd = WeightLoader.load(Fixtures.path("openclip_checkpoint.pt"))) {
            assertEquals(WeightFormat.TORCH_SAVE, sd.format());
            assertEquals(new HashSet<>(want.keySet()), new HashSet<>(sd.names()));
            for (String k : want.keySet()) {
                float[] w = Fixtures.bf16(want.get(k).toFloatArray());
                assertArrayEquals(want.get(k).dims(), sd.get(k).dims(), k);
                assertArrayEquals(w, sd.get(k).toFloatArray(), 0f, k);
            }
        }
    }

    @Test
    void torchScriptArchiveNamesTensorsAsStateDictDoesAndWidensFp16() throws IOException {
        Map<String, Object> manifest = Fixtures.manifest();
        Map<String, Tensor> want = Fixtures.expected();
        List<String> halfKeys = Fixtures.strings(manifest, "torchscript_half_keys");
        assertFalse(halfKeys.isEmpty());
        try (StateDict sd = WeightLoader.load(Fixtures.path("torchscript.pt"))) {
            assertEquals(WeightFormat.TORCHSCRIPT, sd.format());
            List<String> order = new ArrayList<>(Fixtures.strings(manifest, "torchscript_keys"));
            order.removeAll(WeightLoader.IGNORED);
            assertEquals(order, new ArrayList<>(sd.names()), "names and order of torch.jit.load(...).state_dict()");
            assertEquals(new HashSet<>(want.keySet()), new HashSet<>(sd.names()));
            for (String k : want.keySet()) {
                float[] w = want.get(k).toFloatArray();
                if (halfKeys.contains(k)) w = Fixtures.half(w);
                assertArrayEquals(want.get(k).dims(), sd.get(k).dims(), k);
                assertArrayEquals(w, sd.get(k).toFloatArray(), 0f, k);
            }
        }
    }

    @Test
    void scriptedModuleKeepsParametersAndBuffersButNotPlainTensorAttributes() throws IOException {
        Map<String, Tensor> want = Safetensors.readAll(Fixtures.path("scripted_expected.safetensors"));
        try (StateDict sd = WeightLoader.load(Fixtures.path("scripted.pt"))) {
            assertEquals(WeightFormat.TORCHSCRIPT, sd.format());
            assertEquals(Fixtures.strings(Fixtures.manifest(), "scripted_keys"), new ArrayList<>(sd.names()));
            assertFalse(sd.contains("mask"));
            for (String k : want.keySet()) assertSame(k, want.get(k), sd.get(k));
        }
    }

    @Test
    void safetensorsWithOpenAiNames() throws IOException {
        Map<String, Tensor> want = Fixtures.expected();
        try (StateDict sd = WeightLoader.load(Fixtures.path("openai.safetensors"))) {
            assertEquals(WeightFormat.SAFETENSORS, sd.format());
            assertEquals(StateDict.Naming.OPENAI, sd.naming());
            assertEquals(want.keySet(), new HashSet<>(sd.names()));
            for (String k : want.keySet()) assertSame(k, want.get(k), sd.get(k));
        }
    }

    @Test
    void safetensorsWithHuggingFaceNamesMapToOpenAi() throws IOException {
        Map<String, Tensor> want = Fixtures.expected();
        int vw = 24; // vision width: the rows of visual block 0's in_proj that came from k_proj (fp16)
        try (StateDict sd = WeightLoader.load(Fixtures.path("hf.safetensors"))) {
            assertEquals(WeightFormat.SAFETENSORS, sd.format());
            assertEquals(StateDict.Naming.HUGGING_FACE, sd.naming());
            assertEquals(new HashSet<>(want.keySet()), new HashSet<>(sd.names()));
            for (String k : want.keySet()) {
                float[] w = want.get(k).toFloatArray();
                switch (k) {
                    case "text_projection", "transformer.resblocks.1.mlp.c_fc.weight" -> w = Fixtures.half(w);
                    case "visual.transformer.resblocks.0.attn.in_proj_weight" -> {
                        float[] k16 = Fixtures.half(java.util.Arrays.copyOfRange(w, vw * vw, 2 * vw * vw));
                        System.arraycopy(k16, 0, w, vw * vw, k16.length);
                    }
                    default -> { }
                }
                assertArrayEquals(want.get(k).dims(), sd.get(k).dims(), k);
                assertArrayEquals(w, sd.get(k).toFloatArray(), 0f, k);
            }
        }
    }

    @Test
    void viewsIntoSharedStoragesAreCopiedOutWithOffsetsAndStrides() throws IOException {
        Map<String, Tensor> want = Safetensors.readAll(Fixtures.path("views_expected.safetensors"));
        try (StateDict sd = WeightLoader.load(Fixtures.path("views.pt"))) {
            assertEquals(want.keySet(), new HashSet<>(sd.names()));
            for (String k : want.keySet()) assertSame(k, want.get(k), sd.get(k));
            // Views of one storage must not alias each other.
            sd.get("base").set(99f, 1, 0);
            assertEquals(-0.5, sd.get("rows").get(0, 0), 0.0);
        }
    }

    @Test
    void convertedSafetensorsReloadIdentically(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("tiny.safetensors");
        try (StateDict sd = WeightLoader.load(Fixtures.path("torchscript.pt"))) {
            sd.saveSafetensors(out);
            try (StateDict back = WeightLoader.load(out); Safetensors.Reader r = Safetensors.open(out)) {
                assertEquals(StateDict.Naming.OPENAI, back.naming());
                assertEquals(new HashSet<>(sd.names()), new HashSet<>(back.names()));
                for (String k : sd.names()) assertSame(k, sd.get(k), back.get(k));
                assertEquals("TORCHSCRIPT", r.metadata().get("clipcl.source_format"));
                assertTrue(r.entries().values().stream().allMatch(e -> e.dtype().equals("F32")));
            }
        }
    }

    @Test
    void stateDictChecksShapesAndNamesForTheModel() throws IOException {
        try (StateDict sd = WeightLoader.load(Fixtures.path("openai.safetensors"))) {
            assertArrayEquals(new int[] {24, 12}, sd.require("visual.proj", 24, 12).dims());
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> sd.require("visual.proj", 12, 24));
            assertTrue(e.getMessage().contains("openai.safetensors") && e.getMessage().contains("visual.proj") && e.getMessage().contains("[24, 12]"), e.getMessage());
            e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> sd.get("visual.nope"));
            assertTrue(e.getMessage().contains("missing tensor 'visual.nope'"), e.getMessage());
            List<String> expected = new ArrayList<>(sd.names());
            expected.remove("logit_scale");
            assertEquals(List.of("logit_scale"), sd.unexpected(expected));
        }
    }

    /**
     * A zip whose end record points past the file (found by fuzzing): the JDK's zip reader ends its
     * search with a bare EOFException, which used to escape with no file named.
     */
    @Test
    void zipWithAnEndRecordPastTheFileIsATypedRefusal(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("broken.pt");
        java.nio.file.Files.copy(Path.of("src/test/resources/clipcl/clip/fuzz/LoaderJazzerTestInputs/torchZip/crash-eb6612eace1196ce0ee31b1a7607e7f8ed161393"), f);
        var e = org.junit.jupiter.api.Assertions.assertThrows(clipcl.tensor.io.BadInputException.class, () -> WeightLoader.load(f).close());
        assertEquals(f.toString(), e.source());
        assertTrue(e.getMessage().startsWith(f + ": truncated or damaged zip archive"), e.getMessage());
    }
}

package clipcl.autograd.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.nn.Activation;
import clipcl.autograd.nn.Init;
import clipcl.autograd.nn.Mlp;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extra tensor parts saved with a checkpoint: read back exactly, staged with the rest, and only the latest save's. */
class CheckpointPartsTest {
    @TempDir
    Path dir;

    @AfterEach
    void noFaults() { StagedSave.fault = op -> { }; }

    private static Mlp model(long seed) { return new Mlp(4, 8, Activation.QUICK_GELU, Init.f32(seed)); }

    private static Map<String, Map<String, Tensor>> part(float v) {
        return Map.of("anchor", Map.of("w", Tensor.of(new float[] {v, -v, 0.5f * v}, 3)));
    }

    @Test
    void aPartIsReadBackAsSavedAndDisappearsWhenALaterSaveHasNone() throws IOException {
        Checkpoint.save(dir, model(1), null, new TrainState(1, new Rng(1), null), part(0.25f));
        Map<String, Tensor> back = Checkpoint.loadPart(dir, "anchor");
        assertArrayEquals(new float[] {0.25f, -0.25f, 0.125f}, back.get("w").toFloatArray());
        assertNull(Checkpoint.loadPart(dir, "other"));
        Checkpoint.save(dir, model(1), null, new TrainState(2, new Rng(1), null));
        assertTrue(Files.exists(dir.resolve("anchor.safetensors")), "the earlier part's file is left where it was");
        assertNull(Checkpoint.loadPart(dir, "anchor"), "but it is not the latest save's");
    }

    @Test
    void aFailedPartWriteKeepsThePreviousCheckpointAndItsPart() throws IOException {
        Checkpoint.save(dir, model(1), null, new TrainState(1, new Rng(1), null), part(1));
        StagedSave.fault = op -> {
            if (op.equals("write anchor.safetensors")) throw new IOException("No space left on device");
        };
        assertThrows(IOException.class, () -> Checkpoint.save(dir, model(2), null, new TrainState(2, new Rng(1), null), part(2)));
        StagedSave.fault = op -> { };
        assertEquals(1, Checkpoint.load(dir, model(3), null).step());
        assertArrayEquals(new float[] {1, -1, 0.5f}, Checkpoint.loadPart(dir, "anchor").get("w").toFloatArray());
    }

    @Test
    void aDamagedPartIsCaughtAndBadNamesAreRefused() throws IOException {
        Checkpoint.save(dir, model(1), null, new TrainState(1, new Rng(1), null), part(1));
        Path f = dir.resolve("anchor.safetensors");
        byte[] b = Files.readAllBytes(f);
        b[b.length - 2] ^= 0x10;
        Files.write(f, b);
        assertTrue(assertThrows(clipcl.tensor.io.BadInputException.class, () -> Checkpoint.loadPart(dir, "anchor")).getMessage().contains("CRC-32"));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(dir, model(1), null, new TrainState(3, new Rng(1), null), Map.of("model", Map.of())));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.loadPart(dir, "../x"));
    }
}

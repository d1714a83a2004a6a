package clipcl.autograd.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.nn.Init;
import clipcl.autograd.nn.Activation;
import clipcl.autograd.nn.Mlp;
import clipcl.autograd.optim.AdamW;
import clipcl.autograd.optim.Optimizer;
import clipcl.autograd.optim.ParamGroups;
import clipcl.tensor.Rng;
import clipcl.tensor.io.BadInputException;
import clipcl.tensor.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saves that fail half way, files that rot, and run folders that must not be restarted over. */
class CheckpointFaultsTest {
    @TempDir
    Path dir;

    /** Stands for SIGKILL: an Error, so none of the save's cleanup runs. */
    static final class SimulatedKill extends Error { }

    @AfterEach
    void noFaults() { StagedSave.fault = op -> { }; }

    private static Mlp model(long seed) { return new Mlp(8, 16, Activation.QUICK_GELU, Init.f32(seed)); }

    private static Optimizer adamw(Mlp m) { return new AdamW(ParamGroups.openClip(m.namedParameters(), 0.1), 0); }

    static void dropChecksums(Path dir) throws IOException {
        Path tj = dir.resolve(Checkpoint.TRAINER);
        Map<String, Object> j = Json.readObject(tj);
        j.remove("checksums");
        Files.writeString(tj, Json.pretty(j));
    }

    private static float[] firstWeight(Mlp m) { return m.stateDict().values().iterator().next().toFloatArray(); }

    @Test
    void aFullDiskDuringASaveLeavesThePreviousCheckpointReadable() throws IOException {
        for (String failing : new String[] {"write " + Checkpoint.MODEL, "write " + Checkpoint.OPTIMIZER, "write " + Checkpoint.TRAINER}) {
            Mlp m = model(1);
            Checkpoint.save(dir, m, adamw(m), new TrainState(1, new Rng(1), null));
            StagedSave.fault = op -> {
                if (op.equals(failing)) throw new IOException("No space left on device");
            };
            Mlp other = model(2);
            IOException e = assertThrows(IOException.class, () -> Checkpoint.save(dir, other, adamw(other), new TrainState(2, new Rng(1), null)));
            assertTrue(e.getMessage().contains("No space"), e.getMessage());
            StagedSave.fault = op -> { };
            assertFalse(Files.exists(StagedSave.staging(dir)), "the half-written staging folder is removed");
            Mlp back = model(3);
            assertEquals(1, Checkpoint.load(dir, back, adamw(back)).step(), failing);
            assertArrayEquals(firstWeight(m), firstWeight(back), failing);
        }
    }

    @Test
    void aKillWhileMovingPartsIntoPlaceIsRolledForward() throws IOException {
        Mlp m = model(1);
        Checkpoint.save(dir, m, adamw(m), new TrainState(1, new Rng(1), null));
        // The process dies after the new model file is in place and before the rest: simulated by an
        // Error that skips all cleanup, as SIGKILL would.
        StagedSave.fault = op -> {
            if (op.equals("move " + Checkpoint.OPTIMIZER)) throw new SimulatedKill();
        };
        Mlp next = model(2);
        assertThrows(SimulatedKill.class, () -> Checkpoint.save(dir, next, adamw(next), new TrainState(2, new Rng(1), null)));
        StagedSave.fault = op -> { };
        assertTrue(Checkpoint.exists(dir));
        Mlp back = model(3);
        assertEquals(2, Checkpoint.load(dir, back, adamw(back)).step());
        assertArrayEquals(firstWeight(next), firstWeight(back));
        assertFalse(Files.exists(StagedSave.staging(dir)));
    }

    @Test
    void aBitFlipInAPartIsCaughtByItsChecksum() throws IOException {
        Mlp m = model(1);
        Checkpoint.save(dir, m, null, new TrainState(4, new Rng(1), null));
        Path f = dir.resolve(Checkpoint.MODEL);
        byte[] b = Files.readAllBytes(f);
        b[b.length - 3] ^= 0x10;
        Files.write(f, b);
        BadInputException e = assertThrows(BadInputException.class, () -> Checkpoint.load(dir, model(1), null));
        assertEquals(f.toString(), e.source());
        assertTrue(e.getMessage().contains("CRC-32"), e.getMessage());
    }

    @Test
    void nonFiniteWeightsAreRefusedNamingTheTensor() throws IOException {
        Mlp m = model(1);
        var name = m.stateDict().keySet().iterator().next();
        m.stateDict().get(name).fill(Float.NaN);
        Checkpoint.save(dir, m, null, new TrainState(4, new Rng(1), null));
        BadInputException e = assertThrows(BadInputException.class, () -> Checkpoint.load(dir, model(1), null));
        assertTrue(e.field().startsWith("tensor '" + name + "'"), e.field());
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void malformedTrainerStateIsNamedByField() throws IOException {
        Mlp m = model(1);
        Checkpoint.save(dir, m, null, new TrainState(4, new Rng(1), null));
        Path tj = dir.resolve(Checkpoint.TRAINER);
        Files.writeString(tj, Files.readString(tj).replaceFirst("\"seed\": [0-9]+", "\"seed\": \"one\""));
        assertEquals("rngs.main", assertThrows(BadInputException.class, () -> Checkpoint.load(dir, model(1), null)).field());
        Files.writeString(tj, Files.readString(tj).replaceFirst("\"step\": 4", "\"step\": -4"));
        assertEquals("step", assertThrows(BadInputException.class, () -> Checkpoint.load(dir, model(1), null)).field());
        Files.writeString(tj, "{\"format_version\": 1, " + "[".repeat(20_000));
        assertThrows(BadInputException.class, () -> Checkpoint.load(dir, model(1), null));
    }

    @Test
    void resumingWithoutTrainerStateIsRefusedAndTouchesNothing() throws IOException {
        Mlp m = model(1);
        Checkpoint.save(dir, m, adamw(m), new TrainState(4, new Rng(1), null));
        Files.delete(dir.resolve(Checkpoint.TRAINER));
        byte[] before = Files.readAllBytes(dir.resolve(Checkpoint.MODEL));
        IOException e = assertThrows(IOException.class, () -> RunFolder.begin(dir, true, false));
        assertTrue(e.getMessage().contains("trainer.json is missing"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve(Checkpoint.MODEL)));
        IOException nothing = assertThrows(IOException.class, () -> RunFolder.begin(dir.resolve("empty"), true, false));
        assertTrue(nothing.getMessage().contains("nothing to resume"), nothing.getMessage());
    }

    @Test
    void startingAfreshOverARunIsRefusedUnlessOverwriting() throws IOException {
        Mlp m = model(1);
        Checkpoint.save(dir, m, adamw(m), new TrainState(4, new Rng(1), null));
        IOException e = assertThrows(IOException.class, () -> RunFolder.begin(dir, false, false));
        assertTrue(e.getMessage().contains("--resume") && e.getMessage().contains("--overwrite"), e.getMessage());
        assertTrue(Checkpoint.exists(dir));
        assertTrue(RunFolder.begin(dir, true, false));
        assertFalse(RunFolder.begin(dir, false, true));
        assertFalse(Checkpoint.exists(dir));
        assertFalse(RunFolder.begin(dir.resolve("new"), false, false));
        Path file = Files.writeString(dir.resolve("afile"), "x");
        assertThrows(IOException.class, () -> RunFolder.begin(file, false, false));
    }
}

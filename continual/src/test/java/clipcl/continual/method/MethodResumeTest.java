package clipcl.continual.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.clip.model.Clip;
import clipcl.continual.Fixtures;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.protocol.Protocol;
import clipcl.continual.protocol.Studies;
import clipcl.continual.protocol.StudyConfig;
import clipcl.continual.train.SessionListener;
import clipcl.continual.train.TrainConfig;
import clipcl.continual.train.UpdateOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every method that keeps state across steps or sessions, killed inside a session (after a step) and
 * again at a session boundary, then resumed, writes the same metrics.json byte for byte as an
 * uninterrupted run: RKR's rectifiers, IMM's session-start weights, the distillation teachers, EWC's
 * Fisher and anchor, the replay buffers and DER's stored outputs all come back from the checkpoint.
 */
class MethodResumeTest {
    static final Benchmark BENCH = Fixtures.benchmark();
    static final ImageTensors IMAGES = new ImageTensors(28, false);
    static final Clip CLIP0 = Fixtures.tinyClip(BENCH);

    /** MST, batch 6, 2 epochs: 4 steps a session, 20 in all; a checkpoint every 3 steps. */
    static StudyConfig config(String method) {
        double replay = method.contains("buffer") ? 0.34 : 0;
        TrainConfig tc = new TrainConfig(6, 2, 1e-2, 0.1, "adamw", "cosine", 0.1, 1.0, Protocol.MST.defaultObjective(), false, true, true, 0, 3, replay);
        return new StudyConfig(method, Protocol.MST, UpdateOption.WM, 5, tc, 30, 2, 5, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rkr", "rkr:variant=lowrank,rank=2", "imm:alpha=0.3", "imm:alpha=0.3,mode=continue", "lwf", "vr-lwf:ks=8",
            "geodl", "ewc", "der:buffer=12", "der++:buffer=12", "mod-x:buffer=12"})
    void aKilledRunResumesToTheSameMetricsJson(String method, @TempDir Path dir) throws IOException {
        StudyConfig cfg = config(method);
        List<Long> seed = List.of(5L);
        Studies.run(cfg, seed, BENCH, CLIP0, IMAGES, dir.resolve("whole"), false, Map.of(), SessionListener.NONE, Long.MAX_VALUE);
        // killed at step 10: session 2 (0-based), its second step, a step after the checkpoint at its first
        assertNull(Studies.run(cfg, seed, BENCH, CLIP0, IMAGES, dir.resolve("killed"), false, Map.of(), SessionListener.NONE, 10));
        // then at step 12, the end of session 2: the last checkpoint is the one after its evaluation
        assertNull(Studies.run(cfg, seed, BENCH, CLIP0, IMAGES, dir.resolve("killed"), true, Map.of(), SessionListener.NONE, 12));
        assertNotNull(Studies.run(cfg, seed, BENCH, CLIP0, IMAGES, dir.resolve("killed"), true, Map.of(), SessionListener.NONE, Long.MAX_VALUE));
        byte[] whole = Files.readAllBytes(dir.resolve("whole/metrics.json"));
        assertArrayEquals(whole, Files.readAllBytes(dir.resolve("killed/metrics.json")), method);
        assertTrue(whole.length > 1000, method);
    }
}

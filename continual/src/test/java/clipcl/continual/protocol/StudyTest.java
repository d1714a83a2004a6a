package clipcl.continual.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.clip.model.Clip;
import clipcl.continual.Fixtures;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.ReplayBuffer;
import clipcl.continual.data.ReservoirBuffer;
import clipcl.continual.method.Method;
import clipcl.continual.method.MethodContext;
import clipcl.continual.report.RunResult;
import clipcl.continual.train.ParamMaps;
import clipcl.continual.train.RunFolder;
import clipcl.continual.train.SessionListener;
import clipcl.continual.train.TrainConfig;
import clipcl.continual.train.UpdateOption;
import clipcl.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session loop on a tiny benchmark: hook order, resume after a kill, refusal of a used folder. */
class StudyTest {
    static final Benchmark BENCH = Fixtures.benchmark();
    static final ImageTensors IMAGES = new ImageTensors(28, false);

    /** batch 6, 2 epochs: MST sessions of 12 items take 4 steps, 20 steps in all; a checkpoint every 3 steps. */
    static StudyConfig config(String method, Protocol p) {
        TrainConfig tc = new TrainConfig(6, 2, 1e-3, 0.1, "adamw", "cosine", 0.1, 1.0, p.defaultObjective(), false, true, true, 0, 3, 0);
        return new StudyConfig(method, p, UpdateOption.WM, 5, tc, 30, 2, 5, null);
    }

    /** Records its calls into the same trace as the study's hooks, and checks what it is given. */
    static final class Recording implements Method {
        final List<String> calls = new ArrayList<>();
        final ReservoirBuffer buffer = new ReservoirBuffer(8, 1);

        @Override
        public String name() { return "ft"; }

        @Override
        public boolean needsTeacher() { return true; }

        @Override
        public void beginSession(MethodContext ctx) {
            assertNotNull(ctx.teacher(), "the teacher is taken before the method starts");
            Map<String, Tensor> t = ParamMaps.snapshot(ctx.teacher()), m = ParamMaps.snapshot(ctx.model());
            assertEquals(0.0, ParamMaps.dot(ParamMaps.sub(t, m), ParamMaps.sub(t, m)), 0.0, "teacher = model at session start");
            assertTrue(ctx.teacher().trainableParameters().isEmpty(), "the teacher is frozen");
            calls.add("method.begin " + ctx.session().index());
        }

        @Override
        public void endSession(MethodContext ctx) {
            calls.add("method.end " + ctx.session().index() + " buffer " + buffer.size());
        }

        @Override
        public ReplayBuffer replayBuffer() { return buffer; }
    }

    @Test
    void hooksRunInTheDocumentedOrder(@TempDir Path dir) throws IOException {
        Recording m = new Recording();
        Study s = new Study(config("ft", Protocol.MST), m, BENCH, Fixtures.tinyClip(BENCH), IMAGES, SessionListener.NONE);
        RunResult r = s.run(RunFolder.open(dir.resolve("run"), false));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.addAll(List.of("before:teacher", "before:freeze", "before:method", "before:optimizer", "train",
                    "after:method", "after:buffer", "after:evaluate", "after:checkpoint"));
        }
        assertEquals(expected, s.hookTrace());
        // the method ran where its hooks say, and the buffer was filled after its end-of-session call
        assertEquals(List.of("method.begin 0", "method.end 0 buffer 0", "method.begin 1", "method.end 1 buffer 8"), m.calls.subList(0, 4));
        assertEquals(5, r.sessions().size());
        assertEquals(5, r.accuracy().sessions());
        assertEquals(5, r.accuracy().tasks());
        assertEquals(20, r.losses().size());
        for (Map<String, Double> l : r.losses()) assertTrue(l.containsKey("class_ce") && l.containsKey("total") && l.containsKey("session"), l.toString());
        for (String k : List.of("ut_acc", "zs_acc", "a_acc", "i2t_r1_old", "t2i_r1_old", "i2t_r1_new", "t2i_r1_new")) {
            double v = r.finalMetrics().get(k);
            assertTrue(v >= 0 && v <= 1, k + " = " + v);
        }
        assertTrue(r.finalMetrics().containsKey("bwt"), r.finalMetrics().keySet().toString());
    }

    @Test
    void aKilledStudyResumesToTheSameMetricsJson(@TempDir Path dir) throws IOException {
        Clip clip0 = Fixtures.tinyClip(BENCH);
        StudyConfig cfg = config("ft", Protocol.MST);
        Studies.run(cfg, List.of(5L), BENCH, clip0, IMAGES, dir.resolve("whole"), false, Map.of(), SessionListener.NONE, Long.MAX_VALUE);
        // killed at step 10 (inside session 3, a step after the checkpoint at session step 1), then resumed
        assertNull(Studies.run(cfg, List.of(5L), BENCH, clip0, IMAGES, dir.resolve("killed"), false, Map.of(), SessionListener.NONE, 10));
        assertTrue(Files.exists(dir.resolve("killed/checkpoint/trainer.json")));
        IOException refused = assertThrows(IOException.class,
                () -> Studies.run(cfg, List.of(5L), BENCH, clip0, IMAGES, dir.resolve("killed"), false, Map.of(), SessionListener.NONE, Long.MAX_VALUE));
        assertTrue(refused.getMessage().contains("--resume"), refused.getMessage());
        // a second kill at a session boundary, then the rest
        assertNull(Studies.run(cfg, List.of(5L), BENCH, clip0, IMAGES, dir.resolve("killed"), true, Map.of(), SessionListener.NONE, 12));
        assertNotNull(Studies.run(cfg, List.of(5L), BENCH, clip0, IMAGES, dir.resolve("killed"), true, Map.of(), SessionListener.NONE, Long.MAX_VALUE));
        assertArrayEquals(Files.readAllBytes(dir.resolve("whole/metrics.json")), Files.readAllBytes(dir.resolve("killed/metrics.json")));
        // resuming a finished run rewrites the same file
        Studies.run(cfg, List.of(5L), BENCH, clip0, IMAGES, dir.resolve("killed"), true, Map.of(), SessionListener.NONE, Long.MAX_VALUE);
        assertArrayEquals(Files.readAllBytes(dir.resolve("whole/metrics.json")), Files.readAllBytes(dir.resolve("killed/metrics.json")));
    }

    @Test
    void imageOnlyUpdateLeavesTheTextTowerAsItWas(@TempDir Path dir) throws IOException {
        Clip clip0 = Fixtures.tinyClip(BENCH);
        StudyConfig io = new StudyConfig("ft", Protocol.OST, UpdateOption.IO, 5, config("ft", Protocol.OST).train(), 30, 2, 5, null);
        Study s = new Study(io, new Method() {
            @Override
            public String name() { return "ft"; }

            @Override
            public void endSession(MethodContext ctx) {
                Map<String, Tensor> now = ParamMaps.snapshot(ctx.model()), before = ParamMaps.snapshot(clip0);
                for (String n : now.keySet()) {
                    boolean same = java.util.Arrays.equals(now.get(n).toFloatArray(), before.get(n).toFloatArray());
                    if (n.startsWith("visual.") && n.endsWith("proj")) assertTrue(!same, n + " should have trained");
                    if (!n.startsWith("visual.")) assertTrue(same, n + " should be frozen under IO");
                }
            }
        }, BENCH, clip0, IMAGES, SessionListener.NONE);
        s.run(RunFolder.open(dir.resolve("io"), false));
        assertEquals(List.of("before:freeze", "before:method", "before:optimizer", "train", "after:method", "after:buffer", "after:evaluate", "after:checkpoint"),
                s.hookTrace(), "no teacher asked, none taken");
    }

    @Test
    void jointTrainsOnceOnEverythingAndStreamHasOneTask(@TempDir Path dir) throws IOException {
        Clip clip0 = Fixtures.tinyClip(BENCH);
        RunResult joint = new Study(config("joint", Protocol.MST), BENCH, clip0, IMAGES, SessionListener.NONE).run(RunFolder.open(dir.resolve("j"), false));
        assertEquals(1, joint.sessions().size());
        assertEquals(5, joint.accuracy().tasks());
        assertEquals(20, joint.losses().size()); // 60 items / batch 6 * 2 epochs
        RunResult stream = new Study(config("ft", Protocol.STREAM), BENCH, clip0, IMAGES, SessionListener.NONE).run(RunFolder.open(dir.resolve("s"), false));
        assertEquals(5, stream.sessions().size());
        assertEquals(1, stream.accuracy().tasks());
        assertTrue(stream.losses().get(0).containsKey("contrastive"));
    }

    @Test
    void modXRunsOnCaptionsThatVaryPerImage(@TempDir Path dir) throws IOException {
        Benchmark pi = BENCH.withImageWords();
        Clip clip0 = Fixtures.tinyClip(pi);   // the grown vocabulary
        assertTrue(clip0.config().text().vocabSize() > Fixtures.tinyClip(BENCH).config().text().vocabSize());
        RunResult r = new Study(config("mod-x", Protocol.STREAM), pi, clip0, IMAGES, SessionListener.NONE).run(RunFolder.open(dir.resolve("m"), false));
        assertEquals(5, r.sessions().size());
        for (Map<String, Double> l : r.losses()) {
            double kept = l.get("modx_kept_rows");
            assertTrue(kept >= 0 && kept <= 1, "kept-row share " + kept);
        }
        double i2t = r.sessions().get(4).get("i2t_r1_old");
        assertTrue(i2t >= 0 && i2t <= 1, "exact-pair retrieval on the per-image captions: " + i2t);
    }
}

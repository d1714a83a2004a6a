package clipcl.continual.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.clip.model.Clip;
import clipcl.continual.Fixtures;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.protocol.Protocol;
import clipcl.continual.protocol.Studies;
import clipcl.continual.protocol.Study;
import clipcl.continual.protocol.StudyConfig;
import clipcl.continual.report.RunResult;
import clipcl.continual.train.RunFolder;
import clipcl.continual.train.SessionListener;
import clipcl.continual.train.TrainConfig;
import clipcl.continual.train.UpdateOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every paper B method runs under every protocol on the tiny benchmark, logs its terms, and resumes. */
class PaperBStudyTest {
    static final Benchmark BENCH = Fixtures.benchmark();
    static final ImageTensors IMAGES = new ImageTensors(28, false);

    static StudyConfig config(String method, Protocol p, double replay) {
        TrainConfig tc = new TrainConfig(6, 1, 1e-3, 0.1, "adamw", "cosine", 0.1, 1.0, p.defaultObjective(), false, true, true, 0, 3, replay);
        return new StudyConfig(method, p, UpdateOption.WM, 5, tc, 30, 2, 5, null);
    }

    @Test
    void everyMethodRunsUnderEveryProtocol(@TempDir Path dir) throws IOException {
        Clip clip0 = Fixtures.tinyClip(BENCH);
        Map<String, String> term = Map.of("mod-x:buffer=12", "modx_kl", "ewc", "ewc", "der:buffer=12", "der");
        for (String m : List.of("clip-ct", "clip-jt", "mod-x:buffer=12", "ewc", "der:buffer=12")) {
            for (Protocol p : Protocol.values()) {
                double replay = m.contains("buffer") ? 0.34 : 0;
                RunResult r = new Study(config(m, p, replay), BENCH, clip0, IMAGES, SessionListener.NONE).run(RunFolder.open(dir.resolve(m.replace(':', '_') + p.id()), false));
                int sessions = m.equals("clip-jt") || p == Protocol.OST ? 1 : 5;
                assertEquals(sessions, r.sessions().size(), m + " / " + p);
                String t = term.get(m);
                if (t != null && sessions > 1) {
                    // from the second session on the method's own term is in the log
                    Map<String, Double> last = r.losses().get(r.losses().size() - 1);
                    assertTrue(last.containsKey(t), m + " / " + p + ": " + last.keySet());
                    assertTrue(Double.isFinite(last.get(t)) && last.get(t) >= 0, m + ": " + t + " = " + last.get(t));
                }
                if (m.startsWith("mod-x")) {
                    Map<String, Double> last = r.losses().get(r.losses().size() - 1);
                    double kept = last.get("modx_kept_rows");
                    assertTrue(kept >= 0 && kept <= 1, "kept rows " + kept);
                }
            }
        }
    }

    @Test
    void modXAndDerResumeToTheSameMetrics(@TempDir Path dir) throws IOException {
        Clip clip0 = Fixtures.tinyClip(BENCH);
        for (String m : List.of("mod-x:buffer=12", "der:buffer=12", "ewc")) {
            StudyConfig cfg = config(m, Protocol.STREAM, m.contains("buffer") ? 0.34 : 0);
            String d = m.replace(':', '_').replace('=', '_');
            Studies.run(cfg, List.of(5L), BENCH, clip0, IMAGES, dir.resolve(d + "whole"), false, Map.of(), SessionListener.NONE, Long.MAX_VALUE);
            assertNull(Studies.run(cfg, List.of(5L), BENCH, clip0, IMAGES, dir.resolve(d + "killed"), false, Map.of(), SessionListener.NONE, 7));
            assertNotNull(Studies.run(cfg, List.of(5L), BENCH, clip0, IMAGES, dir.resolve(d + "killed"), true, Map.of(), SessionListener.NONE, Long.MAX_VALUE));
            assertArrayEquals(Files.readAllBytes(dir.resolve(d + "whole/metrics.json")), Files.readAllBytes(dir.resolve(d + "killed/metrics.json")), m);
        }
    }

    /**
     * Plain DER and DER++ take the same steps until the buffer holds items (phase 1), then differ: DER++
     * keeps the replayed rows in the contrastive loss, plain DER computes it over the new rows only.
     */
    @Test
    void plainDerAndDerPlusPlusDifferOnlyOnceItemsAreReplayed(@TempDir Path dir) throws IOException {
        assertFalse(Methods.byName("der").replayInBaseObjective());
        assertTrue(Methods.byName("der:variant=pp").replayInBaseObjective());
        assertTrue(Methods.byName("der++").replayInBaseObjective());
        assertEquals("der++", Methods.byName("der++").name());
        assertThrows(IllegalArgumentException.class, () -> Methods.byName("der++:variant=plain"));
        Clip clip0 = Fixtures.tinyClip(BENCH);
        List<Map<String, Double>> plain = new Study(config("der:buffer=12", Protocol.STREAM, 0.34), BENCH, clip0, IMAGES, SessionListener.NONE)
                .run(RunFolder.open(dir.resolve("plain"), false)).losses();
        List<Map<String, Double>> pp = new Study(config("der++:buffer=12", Protocol.STREAM, 0.34), BENCH, clip0, IMAGES, SessionListener.NONE)
                .run(RunFolder.open(dir.resolve("pp"), false)).losses();
        assertEquals(plain.size(), pp.size());
        for (int k = 0; k < plain.size(); k++) {
            double a = plain.get(k).get("contrastive"), b = pp.get(k).get("contrastive");
            if (plain.get(k).get("session") == 0) assertEquals(a, b, 0.0, "phase 0 has nothing to replay: step " + k);
            else if (plain.get(k).get("session") == 1) assertNotEquals(a, b, "step " + k);
        }
    }
}

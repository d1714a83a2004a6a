package clipcl.continual.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.continual.Fixtures;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.protocol.Protocol;
import clipcl.continual.train.SessionListener;
import clipcl.tensor.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real (tiny) cell trained by the engine, rerun from its config.json: the same metrics.json, byte for byte. */
class StudyRerunTest {
    static final Benchmark BENCH = Fixtures.benchmark();
    /** batch 6, one epoch: MST sessions of 12 items take 2 steps; every test image evaluated. */
    static final StudyPreset TINY = new StudyPreset("tiny", 6, 1, 1e-3, 0, 0, 0, 0, 30, 8, 3);

    static StudyCells cells(Map<String, Object> data) {
        return new StudyCells(BENCH, Fixtures.tinyClip(BENCH), new ImageTensors(28, false), TINY, data, Map.of("java", "test"));
    }

    @Test
    void aRerunOfACellEndsWithIdenticalMetricsAndATamperedRecordIsCaught(@TempDir Path tmp) throws Exception {
        StudyCells cells = cells(Map.of("digits", "sha-1"));
        GridRun run = new GridRun(new GridCell("Mod-X + buffer", "mod-x:buffer=8", Protocol.MST), 3);
        Path dir = run.dir(tmp);
        cells.run(run, dir, false, SessionListener.NONE);
        Map<String, Object> config = Json.readObject(dir.resolve("config.json"));
        Map<?, ?> recorded = (Map<?, ?>) config.get(StudyCells.RUN_KEY);
        assertEquals("mod-x:buffer=8", recorded.get("method"));
        assertEquals(3L, recorded.get("seed"));
        assertEquals(Map.of("digits", "sha-1"), config.get("data"));

        StudyRerun.Result r = StudyRerun.rerun(dir, cells, SessionListener.NONE);
        assertTrue(r.identical(), r.firstDifference());
        assertEquals(dir.resolveSibling("seed-3.rerun-1"), r.rerunDir());
        assertEquals(Files.readString(dir.resolve("metrics.json")), Files.readString(r.rerunDir().resolve("metrics.json")));

        // a recorded value changed by hand: the rerun says where the files part
        String text = Files.readString(dir.resolve("metrics.json"));
        int at = text.indexOf("\"zs_acc\": ") + "\"zs_acc\": ".length();
        Files.writeString(dir.resolve("metrics.json"), text.substring(0, at) + "0.123" + text.substring(text.indexOf(',', at)));
        StudyRerun.Result d = StudyRerun.rerun(dir, cells, SessionListener.NONE);
        assertFalse(d.identical());
        assertEquals(dir.resolveSibling("seed-3.rerun-2"), d.rerunDir());
        assertTrue(d.firstDifference().contains("recorded '\"zs_acc\": 0.123,'"), d.firstDifference());

        // other data than the run's: refused before anything trains
        IOException e = assertThrows(IOException.class, () -> StudyRerun.rerun(dir, cells(Map.of("digits", "sha-2")), SessionListener.NONE));
        assertTrue(e.getMessage().contains("the data differ"), e.getMessage());
        assertFalse(Files.exists(dir.resolveSibling("seed-3.rerun-3")));

        // a run that started from another CLIP_0 (an older training recipe): refused, naming both keys
        String cfg = Files.readString(dir.resolve("config.json"));
        String key = (String) ((Map<?, ?>) config.get("clip0")).get("cache_key");
        Files.writeString(dir.resolve("config.json"), cfg.replace(key, "0123456789abcdef"));
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> StudyRerun.rerun(dir, cells, SessionListener.NONE));
        assertTrue(k.getMessage().contains("CLIP_0 0123456789abcdef") && k.getMessage().contains(key), k.getMessage());
        assertFalse(Files.exists(dir.resolveSibling("seed-3.rerun-3")));
    }

    @Test
    void theQuickPresetCutsTheBenchmarkByClass() {
        StudyPreset p = new StudyPreset("cut", 6, 1, 1e-3, 2, 1, 5, 7, 7, 8, 3);
        Benchmark b = p.benchmark(BENCH);
        assertEquals(20, b.digitsTrain().count());
        assertEquals(10, b.digitsTest().count());
        for (int c = 0; c < 10; c++) assertEquals(2, b.digitsTrain().itemsOf(new int[] {c}).length);
        // the first items of each class, in file order: the fixture's labels cycle 0..9, so items 0..19
        assertEquals(BENCH.digitsTrain().pixel(13, 100), b.digitsTrain().pixel(13, 100));
        assertEquals(5, b.fashionTrain().count());
        assertEquals(7, b.fashionTest().count());
        assertEquals(BENCH.fashionTest().labels()[6], b.fashionTest().labels()[6]);
        assertEquals(StudyPreset.quick(), StudyPreset.fromJson(StudyPreset.quick().toJson(), "test"));
        assertEquals(p, StudyPreset.fromJson(Json.parseObject(Json.write(p.toJson())), "test"));
    }
}

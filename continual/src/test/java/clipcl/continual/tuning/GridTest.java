package clipcl.continual.tuning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.clip.model.Clip;
import clipcl.continual.Fixtures;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.LabeledImages;
import clipcl.continual.protocol.Protocol;
import clipcl.continual.protocol.Studies;
import clipcl.continual.protocol.StudyConfig;
import clipcl.continual.train.SessionListener;
import clipcl.continual.train.TrainConfig;
import clipcl.continual.train.UpdateOption;
import clipcl.tensor.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validation split's fixed rule, the grid's points, its choice, and a tiny grid run on the validation benchmark. */
class GridTest {
    static final Benchmark BENCH = Fixtures.benchmark();

    @Test
    void theValidationSplitHoldsOutEveryFifthItemOfEachClassAndNothingElse() {
        LabeledImages train = BENCH.digitsTrain();
        ValidationSplit s = ValidationSplit.of(train);
        assertEquals(train.count(), s.fit().count() + s.validation().count());
        // 6 items a class: the 5th (k = 4) of each is held out
        assertEquals(10, s.validation().count());
        int[] perClass = new int[10];
        for (int l : s.validation().labels()) perClass[l]++;
        for (int c : perClass) assertEquals(1, c);
        // every training image is in exactly one part (compared by pixels), and the test split is untouched
        Set<String> seen = new HashSet<>();
        for (LabeledImages part : List.of(s.fit(), s.validation())) {
            for (int i = 0; i < part.count(); i++) assertTrue(seen.add(image(part, i)), "an image in both parts");
        }
        for (int i = 0; i < train.count(); i++) assertTrue(seen.contains(image(train, i)));
        Set<String> test = new HashSet<>();
        for (int i = 0; i < BENCH.digitsTest().count(); i++) test.add(image(BENCH.digitsTest(), i));
        for (int i = 0; i < s.validation().count(); i++) assertTrue(!test.contains(image(s.validation(), i)), "a test image in validation");
        // the rule is fixed: the same split again, item for item
        assertArrayEquals(s.validation().pixels(), ValidationSplit.of(train).validation().pixels());
        Benchmark v = ValidationSplit.benchmark(BENCH);
        assertArrayEquals(s.validation().pixels(), v.digitsTest().pixels(), "validation stands in for the test split");
        assertArrayEquals(s.fit().pixels(), v.digitsTrain().pixels());
        assertEquals(10, v.fashionTest().count());
        assertEquals(BENCH.tokenizer(), v.tokenizer());
    }

    private static String image(LabeledImages d, int i) {
        int px = d.side() * d.side();
        return d.labels()[i] + ":" + java.util.Arrays.toString(java.util.Arrays.copyOfRange(d.pixels(), i * px, (i + 1) * px));
    }

    @Test
    void pointsAreEveryCombinationAndBadAxesAreRefused() {
        assertEquals(List.of("lwf:beta=0.5", "lwf:beta=1", "lwf:beta=2"), Grid.specs("lwf", List.of(Grid.Axis.parse("beta=0.5,1,2"))));
        assertEquals(List.of("mod-x:rule=class,alpha=2,buffer=0", "mod-x:rule=class,alpha=2,buffer=12", "mod-x:rule=class,alpha=5,buffer=0", "mod-x:rule=class,alpha=5,buffer=12"),
                Grid.specs("mod-x:rule=class", List.of(Grid.Axis.parse("alpha=2,5"), Grid.Axis.parse("buffer=0,12"))));
        assertThrows(IllegalArgumentException.class, () -> Grid.specs("lwf:beta=1", List.of(Grid.Axis.parse("beta=0.5,2"))));
        assertThrows(IllegalArgumentException.class, () -> Grid.specs("lwf", List.of(Grid.Axis.parse("beta=0.5,x"))));
        assertThrows(IllegalArgumentException.class, () -> Grid.specs("lwf", List.of(Grid.Axis.parse("gamma=1"))));
        assertThrows(IllegalArgumentException.class, () -> Grid.Axis.parse("beta="));
        assertThrows(IllegalArgumentException.class, () -> Grid.Axis.parse("beta=1,1"));
    }

    @Test
    void theHighestCriterionWinsTiesGoToTheEarlierPointAndNaNNeverWins() {
        Grid.Cell a = new Grid.Cell("a", Map.of(), Map.of("a_acc", 0.5)), b = new Grid.Cell("b", Map.of(), Map.of("a_acc", 0.7)),
                c = new Grid.Cell("c", Map.of(), Map.of("a_acc", 0.7)), n = new Grid.Cell("n", Map.of(), Map.of("a_acc", Double.NaN));
        assertEquals("b", Grid.choose(List.of(n, a, b, c), "a_acc").chosen().method());
        assertThrows(IllegalStateException.class, () -> Grid.choose(List.of(n), "a_acc"));
    }

    @Test
    void aGridRunsEachPointOnTheValidationBenchmarkAndRecordsItsChoice(@TempDir Path dir) throws IOException {
        Clip clip0 = Fixtures.tinyClip(BENCH);
        ImageTensors images = new ImageTensors(28, false);
        TrainConfig tc = new TrainConfig(6, 1, 1e-2, 0.1, "adamw", "cosine", 0.1, 1.0, Protocol.OST.defaultObjective(), false, true, true, 0, 50, 0);
        StudyConfig base = new StudyConfig("lwf", Protocol.OST, UpdateOption.WM, 1, tc, 30, 2, 5, null);
        List<Grid.Axis> axes = List.of(Grid.Axis.parse("beta=0,20"));
        Grid.Outcome o = Grid.run(base, axes, Grid.A_ACC, List.of(3L), BENCH, clip0, images, dir.resolve("grid"), false, Map.of(), SessionListener.NONE);
        assertEquals(2, o.cells().size());
        double best = Math.max(o.cells().get(0).metrics().get("a_acc"), o.cells().get(1).metrics().get("a_acc"));
        assertEquals(best, o.chosen().metrics().get("a_acc"));
        assertNotEquals(o.cells().get(0).metrics(), o.cells().get(1).metrics(), "beta changes the run");
        // a point's run is exactly a run on the validation benchmark
        StudyConfig one = new StudyConfig("lwf:beta=20", Protocol.OST, UpdateOption.WM, 3, tc, 30, 2, 5, null);
        Studies.run(one, List.of(3L), ValidationSplit.benchmark(BENCH), clip0, images, dir.resolve("direct"), false, Map.of(), SessionListener.NONE, Long.MAX_VALUE);
        assertEquals(Files.readString(dir.resolve("direct/metrics.json")), Files.readString(dir.resolve("grid/cells/lwf_beta-20/metrics.json")));
        Map<String, Object> j = Json.readObject(dir.resolve("grid/grid.json"));
        assertEquals(o.chosen().method(), j.get("chosen"));
        assertEquals(2, ((List<?>) j.get("cells")).size());
        String md = Files.readString(dir.resolve("grid/grid.md"));
        assertTrue(md.contains("| beta |") && md.contains("**yes**") && md.contains(ValidationSplit.RULE), md);
        // a used folder is refused unless resumed; resuming reruns nothing and chooses the same
        assertThrows(IOException.class, () -> Grid.run(base, axes, Grid.A_ACC, List.of(3L), BENCH, clip0, images, dir.resolve("grid"), false, Map.of(), SessionListener.NONE));
        assertEquals(o.chosen().method(), Grid.run(base, axes, Grid.A_ACC, List.of(3L), BENCH, clip0, images, dir.resolve("grid"), true, Map.of(), SessionListener.NONE).chosen().method());
        assertThrows(IllegalArgumentException.class, () -> Grid.run(base, axes, "no_such_metric", List.of(3L), BENCH, clip0, images, dir.resolve("other"), false, Map.of(), SessionListener.NONE));
    }

    /**
     * Paper B's stream takes a grid the same way: Mod-X's class rule over alpha, each point a stream run
     * on the validation benchmark (the fitting digits cut into random phases), its kept-row rate in the log.
     */
    @Test
    void aStreamGridOverModXAlphaRunsOnTheValidationBenchmark(@TempDir Path dir) throws IOException {
        Clip clip0 = Fixtures.tinyClip(BENCH);
        ImageTensors images = new ImageTensors(28, false);
        TrainConfig tc = new TrainConfig(6, 1, 1e-2, 0.1, "adamw", "cosine", 0.1, 1.0, Protocol.STREAM.defaultObjective(), false, true, true, 0, 50, 0);
        StudyConfig base = new StudyConfig("mod-x:rule=class", Protocol.STREAM, UpdateOption.WM, 1, tc, 30, 2, 5, null);
        Map<String, Object> clip0Block = Map.of("cache_key", "tiny");
        Grid.Outcome o = Grid.run(base, List.of(Grid.Axis.parse("alpha=0,20")), Grid.A_ACC, List.of(3L), BENCH, clip0, images, dir.resolve("grid"),
                false, Map.of("clip0", clip0Block), SessionListener.NONE);
        assertEquals(List.of("mod-x:rule=class,alpha=0", "mod-x:rule=class,alpha=20"), o.cells().stream().map(Grid.Cell::method).toList());
        for (Grid.Cell c : o.cells()) {
            for (String k : List.of("ut_acc", "zs_acc", "a_acc", "i2t_r1_old", "i2t_r1_new")) {
                assertTrue(Double.isFinite(c.metrics().get(k)), c.method() + ": " + k + " = " + c.metrics().get(k));
            }
        }
        assertNotEquals(o.cells().get(0).metrics(), o.cells().get(1).metrics(), "alpha changes the run");
        String losses = Files.readString(dir.resolve("grid/cells/mod-x_rule-class_alpha-20/losses.csv"));
        assertTrue(losses.lines().findFirst().orElseThrow().contains("modx_kept_rows"), losses.lines().findFirst().orElseThrow());
        // the point is exactly a stream run on the validation benchmark
        StudyConfig one = new StudyConfig("mod-x:rule=class,alpha=20", Protocol.STREAM, UpdateOption.WM, 3, tc, 30, 2, 5, null);
        Studies.run(one, List.of(3L), ValidationSplit.benchmark(BENCH), clip0, images, dir.resolve("direct"), false, Map.of(), SessionListener.NONE, Long.MAX_VALUE);
        assertEquals(Files.readString(dir.resolve("direct/metrics.json")), Files.readString(dir.resolve("grid/cells/mod-x_rule-class_alpha-20/metrics.json")));
        Map<String, Object> grid = Json.readObject(dir.resolve("grid/grid.json"));
        assertEquals("stream", grid.get("protocol"));
        // the caller's record of CLIP_0 is in the grid and in every point's config, beside the validation rule
        assertEquals(clip0Block, grid.get("clip0"));
        for (String cell : List.of("mod-x_rule-class_alpha-0", "mod-x_rule-class_alpha-20")) {
            Map<String, Object> cfg = Json.readObject(dir.resolve("grid/cells").resolve(cell).resolve("config.json"));
            assertEquals(clip0Block, cfg.get("clip0"), cell);
            assertEquals(ValidationSplit.RULE, ((Map<?, ?>) cfg.get("validation")).get("rule"), cell);
        }
    }
}

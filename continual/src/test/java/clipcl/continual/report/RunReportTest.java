package clipcl.continual.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.continual.metrics.AccuracyMatrix;
import clipcl.tensor.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {
    private static final double EPS = 1e-12;

    static Map<String, Double> metrics(double ut, double zs) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("zs_acc", zs);
        m.put("ut_acc", ut);
        m.put("a_acc", (ut + zs) / 2);
        m.put("i2t_r1_old", 0.5);
        m.put("t2i_r1_old", 0.4);
        m.put("i2t_r1_new", 0.3);
        m.put("t2i_r1_new", 0.2);
        m.put("custom_extra", 1.0);
        return m;
    }

    /** A 2-session MST-like run; {@code shift} moves every accuracy so that seeds differ. */
    static RunResult run(long seed, double shift) {
        AccuracyMatrix acc = AccuracyMatrix.of(new double[][] {{0.9 + shift, 0.1}, {0.6 + shift, 0.8}});
        AccuracyMatrix aware = AccuracyMatrix.of(new double[][] {{0.85 + shift, 0.5}, {0.8 + shift, 0.9}});
        List<Map<String, Double>> losses = new ArrayList<>();
        for (int k = 0; k < 4; k++) losses.add(Map.of("step", (double) k, "session", (double) (k / 2), "ce", 2.0 - k * 0.3 + shift));
        Map<String, Object> diag = new LinkedHashMap<>();
        diag.put("logit_scale", 13.0 + shift);
        diag.put("multi_positive", false);
        diag.put("task_names", List.of("0,1", "2,3"));
        return new RunResult("ft", "mst", "wm", List.of(seed), metrics(0.1, 0.87), List.of(metrics(0.9 + shift, 0.6), metrics(0.7 + shift, 0.5)),
                metrics(0.7 + shift, 0.5), acc, aware, losses, diag);
    }

    @Test
    void metricsJsonFollowsTheSchema(@TempDir Path dir) throws Exception {
        RunReport.writeMetrics(dir, run(1, 0));
        Map<String, Object> j = Json.parseObject(Files.readString(dir.resolve("metrics.json")));
        assertEquals(List.of("schema", "method", "protocol", "update", "seeds", "initial", "sessions", "final", "accuracy_matrix",
                "accuracy_matrix_task_aware", "bwt", "bwt_authors_code", "forgetting", "bwt_task_aware", "forgetting_task_aware", "diagnostics"),
                new ArrayList<>(j.keySet()));
        assertEquals(1L, j.get("schema"));
        assertEquals("ft", j.get("method"));
        assertEquals(List.of(1L), j.get("seeds"));
        @SuppressWarnings("unchecked") Map<String, Object> fin = (Map<String, Object>) j.get("final");
        // Fixed keys first in schema order, others alphabetically after them.
        assertEquals(List.of("ut_acc", "zs_acc", "a_acc", "i2t_r1_old", "t2i_r1_old", "i2t_r1_new", "t2i_r1_new",
                "bwt", "bwt_authors_code", "forgetting", "bwt_task_aware", "bwt_authors_code_task_aware", "forgetting_task_aware",
                "mtil_transfer", "mtil_avg", "mtil_last", "custom_extra"),
                new ArrayList<>(fin.keySet()));
        // Bwt = 0.6 - 0.9 over one earlier session; the code's variant halves it; forgetting = 0.3.
        assertEquals(-0.3, (Double) j.get("bwt"), EPS);
        assertEquals(-0.15, (Double) j.get("bwt_authors_code"), EPS);
        assertEquals(0.3, (Double) j.get("forgetting"), EPS);
        assertEquals(-0.05, (Double) j.get("bwt_task_aware"), 1e-12);
        // MTIL of [[0.9, 0.1], [0.6, 0.8]]: Transfer = A[0][1]; Avg = mean of column means; Last = mean of the last row.
        assertEquals(0.1, (Double) fin.get("mtil_transfer"), EPS);
        assertEquals((0.75 + 0.45) / 2, (Double) fin.get("mtil_avg"), EPS);
        assertEquals(0.7, (Double) fin.get("mtil_last"), EPS);
        assertEquals(List.of(List.of(0.9, 0.1), List.of(0.6, 0.8)), j.get("accuracy_matrix"));
        @SuppressWarnings("unchecked") List<Map<String, Object>> sessions = (List<Map<String, Object>>) j.get("sessions");
        assertEquals(2, sessions.size());
        assertFalse(sessions.get(0).containsKey("bwt"), "one session has no Bwt");
        assertEquals(-0.3, (Double) sessions.get(1).get("bwt"), EPS);
        @SuppressWarnings("unchecked") Map<String, Object> diag = (Map<String, Object>) j.get("diagnostics");
        assertEquals(13.0, (Double) diag.get("logit_scale"), EPS);
    }

    @Test
    void theSameValuesGiveTheSameBytesWhateverTheMapOrder(@TempDir Path dir) throws Exception {
        RunResult a = run(1, 0);
        Map<String, Double> shuffled = new HashMap<>(a.finalMetrics());
        RunResult b = new RunResult(a.method(), a.protocol(), a.update(), a.seeds(), new HashMap<>(a.initial()), a.sessions(), shuffled,
                a.accuracy(), a.taskAware(), a.losses(), new HashMap<>(a.diagnostics()));
        Path da = Files.createDirectory(dir.resolve("a")), db = Files.createDirectory(dir.resolve("b"));
        RunReport.writeMetrics(da, a);
        byte[] first = Files.readAllBytes(da.resolve("metrics.json"));
        RunReport.writeMetrics(da, a);
        assertArrayEquals(first, Files.readAllBytes(da.resolve("metrics.json")), "rewriting is byte-identical");
        RunReport.writeMetrics(db, b);
        assertArrayEquals(first, Files.readAllBytes(db.resolve("metrics.json")), "key order does not depend on the maps' order");
        try (var files = Files.list(da)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void notEvaluatedIsNullAndOneSessionHasNoBwt(@TempDir Path dir) throws Exception {
        AccuracyMatrix acc = new AccuracyMatrix(1, 2);
        acc.set(0, 0, 0.9);
        RunResult r = new RunResult("ft", "ost", "io", List.of(7L), metrics(0.1, 0.8), List.of(metrics(0.9, 0.4)), metrics(0.9, 0.4),
                acc, null, List.of(), Map.of());
        RunReport.writeMetrics(dir, r);
        Map<String, Object> j = Json.parseObject(Files.readString(dir.resolve("metrics.json")));
        List<?> row = (List<?>) ((List<?>) j.get("accuracy_matrix")).get(0);
        assertEquals(0.9, (Double) row.get(0), EPS);
        assertNull(row.get(1), "not evaluated");
        assertFalse(j.containsKey("bwt"));
        assertFalse(j.containsKey("accuracy_matrix_task_aware"));
    }

    @Test
    void meanOverSeedsGivesMeanAndSampleStd(@TempDir Path dir) throws Exception {
        RunResult m = RunResult.meanOverSeeds(List.of(run(1, 0), run(2, -0.1), run(3, 0.1)));
        assertEquals(List.of(1L, 2L, 3L), m.seeds());
        assertTrue(m.averaged());
        assertEquals(0.7, m.finalMetrics().get("ut_acc"), EPS);
        assertEquals(0.1, m.finalMetrics().get("ut_acc_std"), 1e-12); // deviations -0.1, 0, 0.1: sqrt(0.02 / 2)
        assertEquals(0.0, m.finalMetrics().get("zs_acc_std"), EPS);
        assertEquals(0.9, m.accuracy().get(0, 0), 1e-12);
        assertEquals(0.1, ((List<?>) ((List<?>) m.diagnostics().get("accuracy_matrix_std")).get(0)).get(0) instanceof Double d ? d : -1, 1e-12);
        // Bwt per seed: (0.6 - 0.9) = -0.3 whatever the shift: mean -0.3, spread 0.
        assertEquals(-0.3, m.finalMetrics().get("bwt"), 1e-12);
        assertEquals(0.0, m.finalMetrics().get("bwt_std"), 1e-12);
        assertEquals(13.0, (Double) m.diagnostics().get("logit_scale"), 1e-12);
        assertEquals(0.1, (Double) m.diagnostics().get("logit_scale_std"), 1e-12);
        assertEquals(false, m.diagnostics().get("multi_positive"));
        assertEquals(2.0, m.losses().get(0).get("ce"), 1e-12);
        RunReport.writeMetrics(dir, m);
        Map<String, Object> j = Json.parseObject(Files.readString(dir.resolve("metrics.json")));
        assertEquals(List.of("ut_acc", "ut_acc_std", "zs_acc", "zs_acc_std"),
                new ArrayList<>(((Map<?, ?>) j.get("final")).keySet()).subList(0, 4).stream().map(Object::toString).toList());
        assertTrue(j.containsKey("bwt_std"));
    }

    @Test
    void readingBackAndWritingAgainGivesTheSameBytes(@TempDir Path dir) throws Exception {
        RunResult mean = RunResult.meanOverSeeds(List.of(run(1, 0), run(2, -0.1), run(3, 0.1)));
        AccuracyMatrix partial = new AccuracyMatrix(2, 2);
        partial.set(0, 0, 0.5);
        RunResult running = new RunResult("ft", "mst", "to", List.of(4L), metrics(0.1, 0.8), List.of(metrics(0.5, 0.7)), metrics(0.5, 0.7),
                partial, null, List.of(), Map.of("count", 3, "note", "x"));
        for (RunResult r : List.of(run(1, 0), mean, running)) {
            Path a = dir.resolve("a.json"), b = dir.resolve("b.json");
            Files.writeString(a, MetricsJson.text(r));
            RunResult back = MetricsJsonReader.read(a);
            Files.writeString(b, MetricsJson.text(back));
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "round trip of " + r.seeds());
        }
        Files.writeString(dir.resolve("bad.json"), "{\"schema\": 2}");
        assertThrows(java.io.IOException.class, () -> MetricsJsonReader.read(dir.resolve("bad.json")));
    }

    @Test
    void integersThatAgreeStayIntegers() {
        RunResult a = run(1, 0), b = run(2, 0.05);
        Map<String, Object> da = new LinkedHashMap<>(a.diagnostics()), db = new LinkedHashMap<>(b.diagnostics());
        da.put("sessions_trained", 2);
        db.put("sessions_trained", 2);
        da.put("note", "a");
        db.put("note", "b");
        RunResult m = RunResult.meanOverSeeds(List.of(withDiagnostics(a, da), withDiagnostics(b, db)));
        assertEquals(2, m.diagnostics().get("sessions_trained"));
        assertFalse(m.diagnostics().containsKey("sessions_trained_std"));
        assertEquals(List.of("a", "b"), m.diagnostics().get("note_per_seed"));
    }

    private static RunResult withDiagnostics(RunResult r, Map<String, Object> d) {
        return new RunResult(r.method(), r.protocol(), r.update(), r.seeds(), r.initial(), r.sessions(), r.finalMetrics(), r.accuracy(),
                r.taskAware(), r.losses(), d);
    }

    @Test
    void aResultKeepsASnapshotOfItsMatrix() {
        AccuracyMatrix acc = AccuracyMatrix.of(new double[][] {{0.9}});
        RunResult r = new RunResult("ft", "ost", "wm", List.of(1L), Map.of(), List.of(), Map.of(), acc, null, List.of(), Map.of());
        acc.set(0, 0, 0.1);
        assertEquals(0.9, r.accuracy().get(0, 0));
    }

    @Test
    void seedsOfDifferentStudiesAreNotAveraged() {
        RunResult a = run(1, 0);
        RunResult b = new RunResult("lwf", "mst", "wm", List.of(2L), a.initial(), a.sessions(), a.finalMetrics(), a.accuracy(), a.taskAware(),
                a.losses(), a.diagnostics());
        assertThrows(IllegalArgumentException.class, () -> RunResult.meanOverSeeds(List.of(a, b)));
        assertThrows(IllegalArgumentException.class, () -> RunResult.meanOverSeeds(List.of(a, run(1, 0))));
    }
}

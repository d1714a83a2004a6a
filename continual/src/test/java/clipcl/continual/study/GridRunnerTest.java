package clipcl.continual.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.continual.metrics.AccuracyMatrix;
import clipcl.continual.protocol.Protocol;
import clipcl.continual.report.RunReport;
import clipcl.continual.report.RunResult;
import clipcl.tensor.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grid's bookkeeping with a stand-in for training: order, state file, resume after a kill, failure isolation, refusal. */
class GridRunnerTest {
    static final StudyGrid GRID = new StudyGrid(List.of(new String[] {"FT", "ft"}, new String[] {"Mod-X", "mod-x"}),
            List.of(Protocol.OST, Protocol.STREAM), List.of(1L, 2L), StudyPreset.quick());

    /** Writes a metrics.json whose numbers depend on the run only; records the calls; throws for the runs named in failing. */
    static final class FakeCells implements GridRunner.CellRunner {
        final List<String> calls = new ArrayList<>();
        final List<String> failing = new ArrayList<>();

        @Override
        public void run(GridRun run, Path dir, boolean resume, clipcl.continual.train.SessionListener l) throws IOException {
            calls.add(run.id() + (resume ? " (resume)" : ""));
            if (failing.contains(run.id())) throw new IllegalStateException("boom in " + run.id());
            Files.createDirectories(dir);
            double ut = 0.5 + 0.02 * run.seed() + (run.cell().method().equals("mod-x") ? 0.1 : 0);
            double zs = run.cell().protocol() == Protocol.OST ? 0.71 : 0.61;
            Map<String, Double> f = Map.of("ut_acc", ut, "zs_acc", zs, "a_acc", (ut + zs) / 2);
            RunReport.writeMetrics(dir, new RunResult(run.cell().method(), run.cell().protocol().id(), "wm", List.of(run.seed()),
                    Map.of("ut_acc", 0.1, "zs_acc", 0.8, "a_acc", 0.45), List.of(f), f, AccuracyMatrix.of(new double[][] {{ut}}), null, List.of(), Map.of()));
        }
    }

    @Test
    void runsEveryCellSeedBySeedAndReportsTheMeans(@TempDir Path tmp) throws IOException {
        FakeCells cells = new FakeCells();
        GridState st = new GridRunner(cells, new StudyReport(), GridListener.NONE).run(tmp.resolve("s"), GRID, false);
        assertEquals(List.of("ft-ost/seed-1", "ft-stream/seed-1", "mod-x-ost/seed-1", "mod-x-stream/seed-1",
                "ft-ost/seed-2", "ft-stream/seed-2", "mod-x-ost/seed-2", "mod-x-stream/seed-2"), cells.calls);
        assertEquals(8, st.count(GridState.Status.DONE));
        Map<String, Object> m = Json.readObject(tmp.resolve("s/metrics.json"));
        List<?> cs = (List<?>) m.get("cells");
        assertEquals(4, cs.size());
        Map<?, ?> modxOst = (Map<?, ?>) cs.get(2);
        assertEquals("mod-x", modxOst.get("method"));
        Map<?, ?> fin = (Map<?, ?>) modxOst.get("final");
        assertEquals(0.63, ((Number) fin.get("ut_acc")).doubleValue(), 1e-12);          // mean of 0.62 and 0.64
        assertEquals(Math.sqrt(0.0002), ((Number) fin.get("ut_acc_std")).doubleValue(), 1e-12);
        String report = Files.readString(tmp.resolve("s/report.md"));
        assertTrue(report.contains("| Mod-X | 63.0 / 71.0 / 67.0 | 63.0 / 61.0 / 62.0 |"), report);
        assertTrue(Files.isRegularFile(tmp.resolve("s/tradeoff-ost.png")));
        assertTrue(Files.isRegularFile(tmp.resolve("s/sessions-stream.png")));
    }

    @Test
    void aFailingRunIsRecordedAndTheGridGoesOn(@TempDir Path tmp) throws IOException {
        FakeCells cells = new FakeCells();
        cells.failing.add("mod-x-ost/seed-1");
        cells.failing.add("mod-x-ost/seed-2");
        GridState st = new GridRunner(cells, new StudyReport(), GridListener.NONE).run(tmp.resolve("s"), GRID, false);
        assertEquals(8, cells.calls.size());
        assertEquals(6, st.count(GridState.Status.DONE));
        assertEquals(2, st.count(GridState.Status.FAILED));
        GridState.Entry e = GridState.load(tmp.resolve("s")).entry(new GridRun(new GridCell("Mod-X", "mod-x", Protocol.OST), 1));
        assertEquals(GridState.Status.FAILED, e.status);
        assertTrue(e.error.startsWith("IllegalStateException: boom in mod-x-ost/seed-1"), e.error);
        String report = Files.readString(tmp.resolve("s/report.md"));
        assertTrue(report.contains("| Mod-X | **failed** | 63.0 / 61.0 / 62.0 |"), report);
        assertTrue(report.contains("- Mod-X / ost: seed 1: IllegalStateException: boom in mod-x-ost/seed-1"), report);
        Map<String, Object> m = Json.readObject(tmp.resolve("s/metrics.json"));
        Map<?, ?> failed = (Map<?, ?>) ((List<?>) m.get("cells")).get(2);
        assertFalse(failed.containsKey("final"));
        assertTrue(((String) failed.get("error")).contains("boom"));
        // on resume the failed runs are tried again (and now succeed); the others are skipped
        cells.failing.clear();
        cells.calls.clear();
        GridState again = new GridRunner(cells, new StudyReport(), GridListener.NONE).run(tmp.resolve("s"), null, true);
        assertEquals(List.of("mod-x-ost/seed-1", "mod-x-ost/seed-2"), cells.calls);
        assertEquals(8, again.count(GridState.Status.DONE));
    }

    @Test
    void aKilledStudyResumesWhereItStoodAndEndsWithTheSameMetrics(@TempDir Path tmp) throws IOException {
        FakeCells whole = new FakeCells();
        new GridRunner(whole, new StudyReport(), GridListener.NONE).run(tmp.resolve("whole"), GRID, false);

        FakeCells cells = new FakeCells();
        assertNull(new GridRunner(cells, new StudyReport(), GridListener.NONE).stopAfter(3).run(tmp.resolve("s"), GRID, false));
        GridState mid = GridState.load(tmp.resolve("s"));
        assertEquals(3, mid.count(GridState.Status.DONE));
        assertEquals(1, mid.count(GridState.Status.RUNNING));        // the run the kill interrupted
        GridRun interrupted = new GridRun(new GridCell("Mod-X", "mod-x", Protocol.STREAM), 1);
        assertEquals(GridState.Status.RUNNING, mid.entry(interrupted).status);
        // what the interrupted run had written: it is resumed (not started afresh) from its folder
        Files.createDirectories(interrupted.dir(tmp.resolve("s")));
        Files.writeString(interrupted.dir(tmp.resolve("s")).resolve("config.json"), "{}");
        cells.calls.clear();
        GridState end = new GridRunner(cells, new StudyReport(), GridListener.NONE).run(tmp.resolve("s"), GRID, true);
        assertEquals(List.of("mod-x-stream/seed-1 (resume)", "ft-ost/seed-2", "ft-stream/seed-2", "mod-x-ost/seed-2", "mod-x-stream/seed-2"), cells.calls);
        assertEquals(8, end.count(GridState.Status.DONE));
        assertEquals(Files.readString(tmp.resolve("whole/metrics.json")), Files.readString(tmp.resolve("s/metrics.json")));
    }

    @Test
    void aFolderHoldingAStudyIsRefusedWithoutResumeAndAnotherGridIsRefusedOnResume(@TempDir Path tmp) throws IOException {
        FakeCells cells = new FakeCells();
        new GridRunner(cells, new StudyReport(), GridListener.NONE).run(tmp.resolve("s"), GRID, false);
        IOException e = assertThrows(IOException.class, () -> new GridRunner(cells, new StudyReport(), GridListener.NONE).run(tmp.resolve("s"), GRID, false));
        assertTrue(e.getMessage().contains("holds a study"), e.getMessage());
        StudyGrid other = new StudyGrid(GRID.methods(), GRID.protocols(), List.of(1L), GRID.preset());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> new GridRunner(cells, new StudyReport(), GridListener.NONE).run(tmp.resolve("s"), other, true));
        assertTrue(f.getMessage().contains("another grid"), f.getMessage());
        Files.createDirectories(tmp.resolve("junk"));
        Files.writeString(tmp.resolve("junk/x"), "x");
        assertThrows(IOException.class, () -> new GridRunner(cells, new StudyReport(), GridListener.NONE).run(tmp.resolve("junk"), GRID, false));
        assertThrows(IOException.class, () -> new GridRunner(cells, new StudyReport(), GridListener.NONE).run(tmp.resolve("junk"), GRID, true));
        // every run stays done: resuming a finished study runs nothing
        cells.calls.clear();
        assertNotNull(new GridRunner(cells, new StudyReport(), GridListener.NONE).run(tmp.resolve("s"), null, true));
        assertEquals(List.of(), cells.calls);
    }

    @Test
    void theGridStateRoundTripsThroughItsFile(@TempDir Path tmp) throws IOException {
        GridState st = new GridState(GRID);
        GridRun r = GRID.runs().get(5);
        st.entry(r).status = GridState.Status.FAILED;
        st.entry(r).error = "OutOfMemoryError: x";
        st.entry(r).wallSeconds = 12.5;
        st.entry(r).resumed = true;
        st.save(tmp);
        GridState back = GridState.load(tmp);
        assertEquals(GRID.toJson(), back.grid().toJson());
        assertEquals(GridState.Status.FAILED, back.entry(r).status);
        assertEquals("OutOfMemoryError: x", back.entry(r).error);
        assertEquals(12.5, back.entry(r).wallSeconds);
        assertTrue(back.entry(r).resumed);
        assertEquals(7, back.count(GridState.Status.PENDING));
        // the grid's JSON has one key order (metrics.json repeats it and must be the same bytes in every JVM)
        String text = Json.write(GRID.toJson());
        assertTrue(text.indexOf("label") < text.indexOf("\"method\"") && text.indexOf("methods") < text.indexOf("protocols"), text);
    }
}

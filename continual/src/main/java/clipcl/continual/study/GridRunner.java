package clipcl.continual.study;

import clipcl.continual.train.SessionListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs a study's grid run by run into its folder: each run in its own run folder (with the engine's
 * checkpoints, so a run killed mid-way resumes where it stood), the grid's state in {@code grid.json}
 * (rewritten atomically before and after every run). Finished runs are skipped on resume; a run that
 * throws is recorded as failed with its error and the grid goes on (a failed run is tried again on the
 * next resume). The report is rewritten at most once a minute while the grid runs, and at the end.
 */
public final class GridRunner {
    /** Runs one cell for one seed into dir (resuming what is there when resume is true); writes dir/metrics.json. */
    public interface CellRunner {
        void run(GridRun run, Path dir, boolean resume, SessionListener listener) throws Exception;
    }

    /** Writes the study's report from its folder and state. */
    public interface Reporter {
        void write(Path studyDir, GridState state) throws IOException;
    }

    private final CellRunner runner;
    private final Reporter reporter;
    private final GridListener listener;
    private double reportEverySeconds = 60;
    private int stopAfter = Integer.MAX_VALUE;

    public GridRunner(CellRunner runner, Reporter reporter, GridListener listener) {
        this.runner = runner;
        this.reporter = reporter;
        this.listener = listener;
    }

    /** Seconds between report rewrites while the grid runs (0: after every run). */
    public GridRunner reportEvery(double seconds) {
        reportEverySeconds = seconds;
        return this;
    }

    /**
     * Stops as a kill would after this many runs of this invocation: the next run is marked running in
     * grid.json and not started, no final report is written; for tests.
     */
    public GridRunner stopAfter(int runs) {
        stopAfter = runs;
        return this;
    }

    /**
     * Opens the study folder and runs what is left of the grid. A folder that holds a study is refused
     * unless resume is true; resuming requires the same grid as the one recorded (null: the recorded one).
     * Returns the final state, or null when stopped by {@link #stopAfter}.
     */
    public GridState run(Path studyDir, StudyGrid grid, boolean resume) throws IOException {
        GridState state = open(studyDir, grid, resume);
        long t0 = System.nanoTime();
        double lastReport = 0;
        Map<String, List<Double>> times = new LinkedHashMap<>();
        int started = 0;
        for (GridRun run : state.grid().runs()) {
            GridState.Entry e = state.entry(run);
            Path dir = run.dir(studyDir);
            if (e.status == GridState.Status.DONE && Files.isRegularFile(dir.resolve("metrics.json"))) {
                listener.runSkipped(run);
                continue;
            }
            boolean resumeRun = !empty(dir);
            e.status = GridState.Status.RUNNING;
            e.error = null;
            state.save(studyDir);
            if (started++ >= stopAfter) return null;
            listener.runStarted(run, progress(state, times, t0));
            long r0 = System.nanoTime();
            String error = null;
            try {
                Files.createDirectories(dir.getParent());
                runner.run(run, dir, resumeRun, listener.sessions());
                if (!Files.isRegularFile(dir.resolve("metrics.json"))) throw new IllegalStateException("the run wrote no metrics.json in " + dir);
            } catch (Exception | LinkageError | AssertionError | StackOverflowError | OutOfMemoryError t) {
                error = describe(t);
            }
            double wall = (System.nanoTime() - r0) / 1e9;
            e.status = error == null ? GridState.Status.DONE : GridState.Status.FAILED;
            e.error = error;
            e.wallSeconds = wall;
            e.resumed = resumeRun;
            state.save(studyDir);
            if (error == null) times.computeIfAbsent(run.cell().protocol().id(), k -> new ArrayList<>()).add(wall);
            listener.runEnded(run, wall, error, progress(state, times, t0));
            double now = (System.nanoTime() - t0) / 1e9;
            if (now - lastReport >= reportEverySeconds) {
                lastReport = now;
                try {
                    reporter.write(studyDir, state);
                } catch (IOException | RuntimeException re) {
                    listener.info("report not written yet: " + re.getMessage());
                }
            }
        }
        reporter.write(studyDir, state);
        return state;
    }

    private GridState open(Path studyDir, StudyGrid grid, boolean resume) throws IOException {
        boolean hasStudy = GridState.exists(studyDir);
        if (!resume) {
            if (hasStudy) throw new IOException(studyDir + " holds a study (" + GridState.FILE + "); pass --resume to continue it, or choose another --output-dir");
            if (!empty(studyDir)) throw new IOException(studyDir + " is not empty; choose another --output-dir (runs are never overwritten)");
            if (grid == null) throw new IllegalArgumentException("no grid to start a study with");
            Files.createDirectories(studyDir);
            GridState st = new GridState(grid);
            st.save(studyDir);
            return st;
        }
        if (!hasStudy) {
            if (!empty(studyDir)) throw new IOException(studyDir + " holds no study (" + GridState.FILE + " is missing) and is not empty; choose another --output-dir");
            if (grid == null) throw new IllegalArgumentException(studyDir + ": nothing to resume and no grid to start");
            Files.createDirectories(studyDir);
            GridState st = new GridState(grid);
            st.save(studyDir);
            return st;
        }
        GridState st = GridState.load(studyDir);
        if (grid != null && !grid.toJson().equals(st.grid().toJson())) {
            throw new IllegalArgumentException(studyDir + " holds a study of another grid: recorded " + clipcl.tensor.io.Json.write(st.grid().toJson())
                    + ", asked " + clipcl.tensor.io.Json.write(grid.toJson()) + "; resume with the same settings (or none) or choose another --output-dir");
        }
        listener.info("resuming the study in " + studyDir + ": " + st.count(GridState.Status.DONE) + " of " + st.grid().runs().size() + " runs done");
        return st;
    }

    private static GridProgress progress(GridState st, Map<String, List<Double>> times, long t0) {
        List<String> remaining = new ArrayList<>();
        for (GridRun r : st.grid().runs()) {
            GridState.Status s = st.entry(r).status;
            if (s == GridState.Status.PENDING || s == GridState.Status.RUNNING) remaining.add(r.cell().protocol().id());
        }
        return new GridProgress(st.count(GridState.Status.DONE), st.count(GridState.Status.FAILED), st.grid().runs().size(),
                (System.nanoTime() - t0) / 1e9, GridProgress.estimateLeft(times, remaining));
    }

    /** The error as the report shows it: its class and message, and where it was thrown. */
    static String describe(Throwable t) {
        StringBuilder b = new StringBuilder(t.getClass().getSimpleName());
        if (t.getMessage() != null) b.append(": ").append(t.getMessage());
        if (t.getStackTrace().length > 0) b.append(" (at ").append(t.getStackTrace()[0]).append(')');
        return b.toString().replace('\n', ' ');
    }

    static boolean empty(Path dir) throws IOException {
        if (!Files.exists(dir)) return true;
        if (!Files.isDirectory(dir)) throw new IOException(dir + " exists and is not a folder");
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}

package clipcl.continual.report;

import clipcl.continual.metrics.AccuracyMatrix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a finished (or running) study reports: what ran, the metrics before any session
 * ({@code initial}, CLIP_0), after each session and at the end, the accuracy matrix, the loss terms of
 * every logged step, and free-form diagnostics. Accuracies and recalls are fractions in [0, 1].
 *
 * <p>Metric keys follow the {@code metrics.json} schema ({@link MetricsJson#KEY_ORDER} lists the fixed
 * ones: {@code ut_acc}, {@code zs_acc}, {@code a_acc}, {@code i2t_r1_old}, ...); further keys are allowed.
 * A result averaged over seeds holds {@code <key>_std} beside each {@code <key>}.
 *
 * @param method         e.g. "ft"
 * @param protocol       "ost", "mst" or "stream"
 * @param update         "wm", "io" or "to"
 * @param seeds          the seeds this result covers (one, or several when averaged)
 * @param initial        metrics of the model before any session
 * @param sessions       metrics after each session, in order
 * @param finalMetrics   metrics at the end of the run (usually those of the last session)
 * @param accuracy       A[session][task]: accuracy on each task's classes after each session
 *                       (class-incremental: every class of the run in the label space)
 * @param taskAware      the same with each task's accuracy taken over its own classes only
 *                       (task-aware); null where the protocol has no such reading
 * @param losses         one map per logged step: loss-term name to value, plus optional
 *                       {@code "step"} (global step) and {@code "session"} (0-based) entries
 * @param diagnostics    anything else worth keeping (numbers, strings, booleans, lists, maps);
 *                       {@code "task_names"} (a list of strings), when present, labels the matrix
 */
public record RunResult(
        String method,
        String protocol,
        String update,
        List<Long> seeds,
        Map<String, Double> initial,
        List<Map<String, Double>> sessions,
        Map<String, Double> finalMetrics,
        AccuracyMatrix accuracy,
        AccuracyMatrix taskAware,
        List<Map<String, Double>> losses,
        Map<String, Object> diagnostics) {

    public RunResult {
        Objects.requireNonNull(method, "RunResult: method");
        Objects.requireNonNull(protocol, "RunResult: protocol");
        Objects.requireNonNull(update, "RunResult: update");
        Objects.requireNonNull(accuracy, "RunResult: accuracy matrix");
        if (seeds == null || seeds.isEmpty()) throw new IllegalArgumentException("RunResult: no seeds");
        if (taskAware != null && (taskAware.sessions() != accuracy.sessions() || taskAware.tasks() != accuracy.tasks())) {
            throw new IllegalArgumentException("RunResult: task-aware matrix is " + taskAware.sessions() + " x " + taskAware.tasks()
                    + ", the accuracy matrix " + accuracy.sessions() + " x " + accuracy.tasks());
        }
        // The matrices are mutable (a running study fills them in): keep a snapshot.
        accuracy = AccuracyMatrix.of(accuracy.rows());
        if (taskAware != null) taskAware = AccuracyMatrix.of(taskAware.rows());
        seeds = List.copyOf(seeds);
        initial = frozen(initial);
        List<Map<String, Double>> ss = new ArrayList<>();
        for (Map<String, Double> s : Objects.requireNonNullElse(sessions, List.<Map<String, Double>>of())) ss.add(frozen(s));
        sessions = Collections.unmodifiableList(ss);
        finalMetrics = frozen(finalMetrics);
        List<Map<String, Double>> ls = new ArrayList<>();
        for (Map<String, Double> s : Objects.requireNonNullElse(losses, List.<Map<String, Double>>of())) ls.add(frozen(s));
        losses = Collections.unmodifiableList(ls);
        diagnostics = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNullElse(diagnostics, Map.of())));
    }

    private static Map<String, Double> frozen(Map<String, Double> m) {
        Map<String, Double> c = new LinkedHashMap<>();
        if (m != null) {
            for (Map.Entry<String, Double> e : m.entrySet()) {
                c.put(Objects.requireNonNull(e.getKey(), "RunResult: null metric name"),
                        Objects.requireNonNull(e.getValue(), () -> "RunResult: metric '" + e.getKey() + "' is null (use NaN)"));
            }
        }
        return Collections.unmodifiableMap(c);
    }

    /** True when this result is a mean over several seeds (its maps hold {@code <key>_std} entries). */
    public boolean averaged() {
        return seeds.size() > 1;
    }

    /**
     * This result with the matrix metrics (Bwt both ways, forgetting, their task-aware forms) added to
     * each session's map (from the leading block of the matrix up to that session) and to the final
     * map, wherever they are defined and not already present; the final map also gets ZSCL's MTIL
     * Transfer, Avg and Last ({@code mtil_transfer}, {@code mtil_avg}, {@code mtil_last}) of the
     * class-incremental matrix when it is square and complete.
     */
    public RunResult withMatrixMetrics() {
        List<Map<String, Double>> ss = new ArrayList<>();
        for (int s = 0; s < sessions.size(); s++) ss.add(MatrixMetrics.add(sessions.get(s), accuracy, taskAware, s));
        Map<String, Double> fin = MatrixMetrics.addMtil(MatrixMetrics.add(finalMetrics, accuracy, taskAware, accuracy.sessions() - 1), accuracy);
        return new RunResult(method, protocol, update, seeds, initial, ss, fin, accuracy, taskAware, losses, diagnostics);
    }

    /**
     * The mean over seeds of several runs of one study: every metric becomes its mean with
     * {@code <key>_std} (sample standard deviation, n - 1) beside it, matrices and loss logs are averaged
     * entry by entry, numeric diagnostics get a mean and {@code _std} (integers that agree in every run
     * are kept as they are), others are kept when all runs agree and listed per seed
     * ({@code <key>_per_seed}) when not. Matrix metrics are computed per seed first (forgetting is not linear
     * in the matrix). One run comes back as it is (with its matrix metrics).
     */
    public static RunResult meanOverSeeds(List<RunResult> runs) {
        return SeedMean.of(runs);
    }
}

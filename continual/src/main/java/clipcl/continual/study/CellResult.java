package clipcl.continual.study;

import clipcl.continual.protocol.Protocol;
import clipcl.continual.report.RunResult;
import java.util.List;
import java.util.Map;

/**
 * A cell of the study as reported: the mean over the seeds that finished (null when none did), the
 * errors of the seeds that failed, and the wall times of the finished runs.
 */
public record CellResult(GridCell cell, RunResult result, List<Long> seedsDone, String error, List<Double> wallSeconds) {
    public CellResult {
        seedsDone = List.copyOf(seedsDone);
        wallSeconds = List.copyOf(wallSeconds);
    }

    public String label() { return cell.label(); }

    public Protocol protocol() { return cell.protocol(); }

    /** The final metrics (mean over seeds, {@code <key>_std} beside each when several), or null when no seed finished. */
    public Map<String, Double> finals() { return result == null ? null : result.finalMetrics(); }

    /** A final metric, NaN when absent. */
    public double get(String key) {
        Map<String, Double> f = finals();
        return f == null ? Double.NaN : f.getOrDefault(key, Double.NaN);
    }

    public String baseMethod() { return clipcl.continual.method.MethodOptions.baseName(cell.method()); }
}

package clipcl.continual.report;

import java.util.List;
import java.util.Map;

/** Pieces of a run's report that reports over many runs (a study's) reuse. */
public final class ReportParts {
    private ReportParts() { }

    /** A fraction in percent with two decimals, +- its spread when the map holds {@code <key>_std}; - when absent or NaN. */
    public static String percent(Map<String, Double> m, String key) {
        return m == null ? "-" : ReportMarkdown.percent(m, key);
    }

    /** The run's accuracy matrix (and its task-aware one) as report.md prints them, under headings of the given level. */
    public static String matrices(RunResult r, String heading) {
        StringBuilder b = new StringBuilder();
        ReportMarkdown.matrices(b, r, heading);
        return b.toString();
    }

    /** The task names that label a run's matrix, or null. */
    public static List<String> taskNames(RunResult r) { return ReportMarkdown.taskNames(r); }

    /** Charts are drawn off screen: call before building any XChart chart outside this package. */
    public static void headless() { Charts.headless(); }
}

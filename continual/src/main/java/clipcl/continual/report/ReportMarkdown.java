package clipcl.continual.report;

import clipcl.continual.metrics.AccuracyMatrix;
import clipcl.continual.metrics.Metrics;
import clipcl.tensor.io.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text of {@code report.md}: the paper-style table (accuracies and recalls in percent, as the
 * papers print them), Bwt and forgetting, the accuracy matrix, every other metric and the diagnostics.
 */
final class ReportMarkdown {
    private ReportMarkdown() { }

    private static final String[][] COLUMNS = {
            {"ut_acc", "UT-Acc"}, {"zs_acc", "ZS-Acc"}, {"a_acc", "A-Acc"},
            {"i2t_r1_old", "I2T R@1 old"}, {"t2i_r1_old", "T2I R@1 old"}, {"i2t_r1_new", "I2T R@1 new"}, {"t2i_r1_new", "T2I R@1 new"}};

    static String text(RunResult r, List<String> charts) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(Charts.title(r)).append("\n\n");
        b.append("Method `").append(r.method()).append("`, protocol `").append(r.protocol()).append("`, update `").append(r.update())
                .append("`; seed").append(r.seeds().size() > 1 ? "s " : " ").append(join(r.seeds()));
        b.append(r.averaged() ? ": each value is the mean over the seeds +- the sample standard deviation.\n\n" : ".\n\n");
        b.append("Accuracies and recalls in percent. UT-Acc: the new task; ZS-Acc: the old ability (zero-shot); "
                + "A-Acc = (UT-Acc + ZS-Acc) / 2; R@1 image-to-text (I2T) and text-to-image (T2I) on the old and the new data.\n\n");
        table(b, r, COLUMNS);
        sessionMetrics(b, r);
        matrices(b, r, "##");
        retrieval(b, r);
        clipcl.continual.analysis.SpatialDisorderTables.append(b, r.sessions());
        others(b, r);
        diagnostics(b, r.diagnostics());
        if (!charts.isEmpty()) {
            b.append("## Charts\n\n");
            for (String c : charts) b.append("![").append(c.replace(".png", "").replace('_', ' ')).append("](").append(c).append(")\n\n");
        }
        return b.toString();
    }

    /** The class-incremental accuracy matrix and, where there is one, the task-aware one, each under a heading. */
    static void matrices(StringBuilder b, RunResult r, String heading) {
        matrix(b, r.accuracy(), r.diagnostics().get("accuracy_matrix_std"), taskNames(r), heading,
                "Accuracy matrix" + (r.taskAware() != null ? " (class-incremental: all classes in the label space)" : ""));
        if (r.taskAware() != null) {
            matrix(b, r.taskAware(), r.diagnostics().get("accuracy_matrix_task_aware_std"), taskNames(r), heading,
                    "Accuracy matrix, task-aware (each task over its own classes)");
        }
    }

    /** One row per phase (before any session, after each, final), one column per {key, label}; absent keys print as -. */
    private static void table(StringBuilder b, RunResult r, String[][] columns) {
        b.append("| |");
        for (String[] c : columns) b.append(' ').append(c[1]).append(" |");
        b.append("\n|---|");
        for (int i = 0; i < columns.length; i++) b.append("---:|");
        b.append('\n');
        row(b, "before (CLIP_0)", r.initial(), columns);
        for (int s = 0; s < r.sessions().size(); s++) row(b, "after session " + (s + 1), r.sessions().get(s), columns);
        row(b, "**final**", r.finalMetrics(), columns);
        b.append('\n');
    }

    private static void row(StringBuilder b, String label, Map<String, Double> m, String[][] columns) {
        b.append("| ").append(label).append(" |");
        for (String[] c : columns) b.append(' ').append(!m.containsKey(c[0]) ? "-" : isFraction(c[0]) ? percent(m, c[0]) : raw(m, c[0])).append(" |");
        b.append('\n');
    }

    /** Recall at 1, 5 and 10 both ways on the old and on the new data, per phase, where they were measured. */
    private static void retrieval(StringBuilder b, RunResult r) {
        for (String data : List.of("old", "new")) {
            List<String[]> cols = new ArrayList<>();
            for (String dir : List.of("i2t", "t2i")) {
                for (int k : new int[] {1, 5, 10}) {
                    String key = dir + "_r" + k + "_" + data;
                    if (anyPhaseHas(r, key)) cols.add(new String[] {key, dir.toUpperCase(Locale.ROOT) + " R@" + k});
                }
            }
            if (cols.size() <= 2) continue; // R@1 alone is already in the main table
            b.append("## Retrieval on the ").append(data).append(" data\n\nRecall in percent, image-to-text (I2T) and text-to-image (T2I).\n\n");
            table(b, r, cols.toArray(new String[0][]));
        }
    }

    /** Every other metric the phases hold (cross-paired towers, logit scale, ...), six columns a table. */
    private static void others(StringBuilder b, RunResult r) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        List<Map<String, Double>> phases = phases(r);
        for (Map<String, Double> m : phases) keys.addAll(m.keySet());
        List<String[]> cols = new ArrayList<>();
        for (String k : keys) {
            boolean shown = k.endsWith("_std") || k.startsWith("bwt") || k.startsWith("forgetting") || k.startsWith("mtil_")
                    || k.startsWith(clipcl.continual.analysis.SpatialDisorderProbe.PREFIX) || k.matches("(i2t|t2i)_r(1|5|10)_(old|new)");
            for (String[] c : COLUMNS) shown |= c[0].equals(k);
            if (!shown) cols.add(new String[] {k, k});
        }
        if (cols.isEmpty()) return;
        b.append("## Other metrics\n\nFractions in percent, other values as they are.\n\n");
        for (int from = 0; from < cols.size(); from += 6) table(b, r, cols.subList(from, Math.min(cols.size(), from + 6)).toArray(new String[0][]));
    }

    private static List<Map<String, Double>> phases(RunResult r) {
        List<Map<String, Double>> all = new ArrayList<>();
        all.add(r.initial());
        all.addAll(r.sessions());
        all.add(r.finalMetrics());
        return all;
    }

    private static boolean anyPhaseHas(RunResult r, String key) {
        for (Map<String, Double> m : phases(r)) if (m.containsKey(key)) return true;
        return false;
    }

    private static void sessionMetrics(StringBuilder b, RunResult r) {
        Map<String, Double> f = r.finalMetrics();
        if (!f.containsKey("bwt")) {
            b.append("Bwt and forgetting: not defined for this run (they need at least two sessions, each with its own task).\n\n");
            return;
        }
        b.append("| | Bwt | Bwt (authors' code) | forgetting |\n|---|---:|---:|---:|\n");
        b.append("| class-incremental | ").append(percent(f, "bwt")).append(" | ").append(percent(f, "bwt_authors_code")).append(" | ")
                .append(percent(f, "forgetting")).append(" |\n");
        if (f.containsKey("bwt_task_aware")) {
            b.append("| task-aware | ").append(percent(f, "bwt_task_aware")).append(" | ").append(percent(f, "bwt_authors_code_task_aware"))
                    .append(" | ").append(percent(f, "forgetting_task_aware")).append(" |\n");
        }
        b.append("\nBwt is paper A's formula, 1/(S-1) sum_i (A[S][i] - A[i][i]) in percentage points; the authors' code divides the "
                + "same sum by S. Forgetting: the mean over earlier tasks of (best accuracy since the task was trained - final accuracy).\n\n");
    }

    private static void matrix(StringBuilder b, AccuracyMatrix m, Object std, List<String> names, String heading, String title) {
        b.append(heading).append(' ').append(title).append("\n\n");
        b.append("Rows: after each session; columns: the task evaluated; percent. Entries above the diagonal are zero-shot "
                + "(before the task is trained); - = not evaluated.\n\n| after \\ task |");
        for (int t = 0; t < m.tasks(); t++) b.append(' ').append(names != null && t < names.size() ? names.get(t) : "task " + (t + 1)).append(" |");
        b.append("\n|---|");
        for (int t = 0; t < m.tasks(); t++) b.append("---:|");
        b.append('\n');
        for (int s = 0; s < m.sessions(); s++) {
            b.append("| session ").append(s + 1).append(" |");
            for (int t = 0; t < m.tasks(); t++) {
                double v = m.get(s, t);
                b.append(' ').append(Double.isNaN(v) ? "-" : pct(v, stdAt(std, s, t))).append(" |");
            }
            b.append('\n');
        }
        b.append('\n');
        if (m.sessions() == m.tasks() && m.sessions() > 1) {
            try {
                b.append(String.format(Locale.ROOT, "MTIL metrics of this matrix (ZSCL): Transfer %.2f, Avg %.2f, Last %.2f.%n%n",
                        100 * Metrics.mtilTransfer(m), 100 * Metrics.mtilAvg(m), 100 * Metrics.mtilLast(m)));
            } catch (IllegalStateException notEvaluated) {
                b.append("MTIL metrics: not every entry was evaluated (").append(notEvaluated.getMessage()).append(").\n\n");
            }
        }
    }

    private static void diagnostics(StringBuilder b, Map<String, Object> d) {
        List<String> keys = new ArrayList<>();
        for (String k : new TreeMap<>(d).keySet()) {
            boolean std = k.endsWith("_std") && d.containsKey(k.substring(0, k.length() - 4));
            if (!std && !k.startsWith("accuracy_matrix") && !k.equals("task_names")) keys.add(k);
        }
        if (keys.isEmpty()) return;
        b.append("## Diagnostics\n\n| key | value |\n|---|---|\n");
        for (String k : keys) {
            Object v = d.get(k);
            String text;
            if (v instanceof Number x) {
                Double std = d.get(k + "_std") instanceof Number n ? n.doubleValue() : null;
                Map<String, Double> one = new java.util.HashMap<>();
                one.put(k, x.doubleValue());
                if (std != null) one.put(k + "_std", std);
                text = isFraction(k) ? percent(one, k) + " %" : raw(one, k);
            } else {
                text = Json.write(v);
            }
            b.append("| ").append(k).append(" | ").append(text.replace("|", "\\|")).append(" |\n");
        }
        b.append('\n');
    }

    /** Keys holding fractions in [0, 1] (or differences of them), printed in percent. */
    static boolean isFraction(String key) {
        return key.contains("acc") || key.matches(".*_r(1|5|10)(_.*)?") || key.startsWith("bwt") || key.startsWith("forgetting")
                || key.startsWith("mtil_") || key.contains("recall");
    }

    /** A metric in percent with two decimals, +- its spread when the map holds {@code <key>_std}; - when absent. */
    static String percent(Map<String, Double> m, String key) {
        Double v = m.get(key);
        if (v == null) return "-";
        return pct(v, m.get(key + "_std"));
    }

    private static String pct(double v, Double std) {
        if (Double.isNaN(v)) return "-";
        String s = String.format(Locale.ROOT, "%.2f", 100 * v);
        return std == null ? s : s + String.format(Locale.ROOT, " +- %.2f", 100 * std);
    }

    private static String raw(Map<String, Double> m, String key) {
        Double v = m.get(key), std = m.get(key + "_std");
        String s = String.format(Locale.ROOT, "%.6g", v);
        return std == null ? s : s + String.format(Locale.ROOT, " +- %.3g", std);
    }

    private static Double stdAt(Object std, int s, int t) {
        if (std instanceof List<?> rows && s < rows.size() && rows.get(s) instanceof List<?> row && t < row.size() && row.get(t) instanceof Number n) {
            return n.doubleValue();
        }
        return null;
    }

    static List<String> taskNames(RunResult r) {
        if (r.diagnostics().get("task_names") instanceof List<?> l) {
            List<String> names = new ArrayList<>();
            for (Object o : l) names.add(String.valueOf(o));
            return names;
        }
        return null;
    }

    private static String join(List<Long> seeds) {
        StringBuilder b = new StringBuilder();
        for (Long s : seeds) b.append(b.isEmpty() ? "" : ", ").append(s);
        return b.toString();
    }
}

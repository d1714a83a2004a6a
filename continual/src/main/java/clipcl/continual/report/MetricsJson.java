package clipcl.continual.report;

import clipcl.continual.metrics.AccuracyMatrix;
import clipcl.tensor.io.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text of {@code metrics.json} (schema 1, documented in the README). Its bytes depend only on the
 * values: the fixed keys come in {@link #KEY_ORDER}, every other key in alphabetical order, each
 * {@code <key>_std} right after its key; numbers are written as Java's shortest round-trip decimal
 * (so a value read back and written again gives the same text); a NaN (not evaluated) becomes null.
 */
public final class MetricsJson {
    public static final int SCHEMA = 1;

    /** Metric keys in the order files show them; any other key follows alphabetically. */
    public static final List<String> KEY_ORDER = List.of(
            "ut_acc", "zs_acc", "a_acc",
            "i2t_r1_old", "t2i_r1_old", "i2t_r1_new", "t2i_r1_new",
            "i2t_r5_old", "t2i_r5_old", "i2t_r5_new", "t2i_r5_new",
            "i2t_r10_old", "t2i_r10_old", "i2t_r10_new", "t2i_r10_new",
            "tr_r1", "ir_r1", "tr_r5", "ir_r5", "tr_r10", "ir_r10",
            "bwt", "bwt_authors_code", "forgetting",
            "ut_acc_task_aware", "bwt_task_aware", "bwt_authors_code_task_aware", "forgetting_task_aware",
            "mtil_transfer", "mtil_avg", "mtil_last");

    private MetricsJson() { }

    /** The file's text for a result (matrix metrics are added first where missing). */
    public static String text(RunResult result) {
        return Json.pretty(tree(result.withMatrixMetrics()));
    }

    static Map<String, Object> tree(RunResult r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", SCHEMA);
        root.put("method", r.method());
        root.put("protocol", r.protocol());
        root.put("update", r.update());
        root.put("seeds", r.seeds());
        root.put("initial", ordered(r.initial()));
        List<Object> sessions = new ArrayList<>();
        for (Map<String, Double> s : r.sessions()) sessions.add(ordered(s));
        root.put("sessions", sessions);
        Map<String, Object> fin = ordered(r.finalMetrics());
        root.put("final", fin);
        root.put("accuracy_matrix", rows(r.accuracy()));
        if (r.taskAware() != null) root.put("accuracy_matrix_task_aware", rows(r.taskAware()));
        // The run's headline matrix metrics, repeated from "final" so scripts find them at the top.
        for (String k : List.of("bwt", "bwt_authors_code", "forgetting", "bwt_task_aware", "forgetting_task_aware")) {
            for (String key : List.of(k, k + "_std")) if (fin.containsKey(key)) root.put(key, fin.get(key));
        }
        root.put("diagnostics", sorted(r.diagnostics()));
        return root;
    }

    /** Known keys first in {@link #KEY_ORDER}, then the rest alphabetically; each _std after its key. */
    static Map<String, Object> ordered(Map<String, Double> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : KEY_ORDER) putWithStd(out, m, k);
        for (String k : new TreeMap<>(m).keySet()) {
            if (!k.endsWith("_std") || !m.containsKey(k.substring(0, k.length() - 4))) putWithStd(out, m, k);
        }
        return out;
    }

    private static void putWithStd(Map<String, Object> out, Map<String, Double> m, String k) {
        if (out.containsKey(k) || !m.containsKey(k)) return;
        out.put(k, m.get(k));
        if (m.containsKey(k + "_std")) out.put(k + "_std", m.get(k + "_std"));
    }

    private static List<Object> rows(AccuracyMatrix m) {
        List<Object> rows = new ArrayList<>();
        for (double[] row : m.rows()) rows.add(row);
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static Object sorted(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), sorted(e.getValue()));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) out.add(sorted(x));
            return out;
        }
        return v;
    }
}

package clipcl.continual.report;

import clipcl.continual.metrics.AccuracyMatrix;
import clipcl.tensor.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code metrics.json} back into a {@link RunResult} (without the loss log, which the file does
 * not hold), so that a resumed or a merged study can start from what was written. Writing the result
 * again gives the same bytes.
 */
public final class MetricsJsonReader {
    private MetricsJsonReader() { }

    public static RunResult read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
        try {
            return parse(Json.parseObject(text), file.toString());
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new IOException(file + ": not a metrics.json of schema " + MetricsJson.SCHEMA + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static RunResult parse(Map<String, Object> j, String name) {
        Object schema = j.get("schema");
        if (!(schema instanceof Long l) || l != MetricsJson.SCHEMA) {
            throw new IllegalArgumentException("\"schema\" is " + schema + ", this reader knows " + MetricsJson.SCHEMA);
        }
        List<Long> seeds = new ArrayList<>();
        for (Object s : list(j, "seeds")) seeds.add((Long) s);
        List<Map<String, Double>> sessions = new ArrayList<>();
        List<Object> ss = list(j, "sessions");
        for (int i = 0; i < ss.size(); i++) sessions.add(metrics((Map<String, Object>) ss.get(i), "sessions[" + i + "]"));
        Map<String, Object> diag = j.get("diagnostics") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of();
        return new RunResult(string(j, "method"), string(j, "protocol"), string(j, "update"), seeds,
                metrics(object(j, "initial"), "initial"), sessions, metrics(object(j, "final"), "final"),
                matrix(list(j, "accuracy_matrix"), "accuracy_matrix"),
                j.containsKey("accuracy_matrix_task_aware") ? matrix(list(j, "accuracy_matrix_task_aware"), "accuracy_matrix_task_aware") : null,
                List.of(), diag);
    }

    private static Map<String, Double> metrics(Map<String, Object> m, String where) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) out.put(e.getKey(), number(e.getValue(), where + "." + e.getKey()));
        return out;
    }

    private static AccuracyMatrix matrix(List<Object> rows, String where) {
        if (rows.isEmpty()) throw new IllegalArgumentException("\"" + where + "\" has no rows");
        double[][] a = new double[rows.size()][];
        for (int s = 0; s < a.length; s++) {
            List<?> row = (List<?>) rows.get(s);
            a[s] = new double[row.size()];
            for (int t = 0; t < a[s].length; t++) a[s][t] = number(row.get(t), where + "[" + s + "][" + t + "]");
        }
        return AccuracyMatrix.of(a);
    }

    /** null stands for a value that was not evaluated (NaN when written). */
    private static double number(Object v, String where) {
        if (v == null) return Double.NaN;
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException("\"" + where + "\" is not a number: " + v);
    }

    private static String string(Map<String, Object> j, String key) {
        if (j.get(key) instanceof String s) return s;
        throw new IllegalArgumentException("\"" + key + "\" missing or not a string");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> j, String key) {
        if (j.get(key) instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new IllegalArgumentException("\"" + key + "\" missing or not an object");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> j, String key) {
        if (j.get(key) instanceof List<?> l) return (List<Object>) l;
        throw new IllegalArgumentException("\"" + key + "\" missing or not a list");
    }
}

package clipcl.continual.report;

import clipcl.continual.metrics.AccuracyMatrix;
import clipcl.continual.metrics.Metrics;
import java.util.LinkedHashMap;
import java.util.Map;

/** Adds the metrics read off the accuracy matrix (Bwt, forgetting) to a session's metric map. */
final class MatrixMetrics {
    private MatrixMetrics() { }

    static Map<String, Double> add(Map<String, Double> metrics, AccuracyMatrix accuracy, AccuracyMatrix taskAware, int session) {
        Map<String, Double> out = new LinkedHashMap<>(metrics);
        put(out, "", block(accuracy, session));
        if (taskAware != null) put(out, "_task_aware", block(taskAware, session));
        return out;
    }

    /**
     * ZSCL's MTIL metrics of the whole matrix (not of a leading block: Avg runs over every step), added
     * where the matrix is square with at least two sessions and every entry was evaluated.
     */
    static Map<String, Double> addMtil(Map<String, Double> metrics, AccuracyMatrix m) {
        Map<String, Double> out = new LinkedHashMap<>(metrics);
        if (m.sessions() != m.tasks() || m.sessions() < 2) return out;
        for (double[] row : m.rows()) for (double v : row) if (Double.isNaN(v)) return out;
        out.putIfAbsent("mtil_transfer", Metrics.mtilTransfer(m));
        out.putIfAbsent("mtil_avg", Metrics.mtilAvg(m));
        out.putIfAbsent("mtil_last", Metrics.mtilLast(m));
        return out;
    }

    private static void put(Map<String, Double> out, String suffix, AccuracyMatrix m) {
        if (m == null) return;
        out.putIfAbsent("bwt" + suffix, Metrics.bwt(m));
        out.putIfAbsent("bwt_authors_code" + suffix, Metrics.bwtAuthorsCode(m));
        out.putIfAbsent("forgetting" + suffix, Metrics.forgetting(m));
    }

    /**
     * The leading (session+1) x (session+1) block: sessions 0..session on their own tasks. Null where
     * the metrics are not defined: a single session, fewer tasks than sessions, or an entry the
     * formulas need that was not evaluated.
     */
    static AccuracyMatrix block(AccuracyMatrix m, int session) {
        int n = session + 1;
        if (n < 2 || n > m.sessions() || m.tasks() < n) return null;
        double[][] b = new double[n][n];
        for (int s = 0; s < n; s++) {
            for (int t = 0; t < n; t++) {
                b[s][t] = m.get(s, t);
                // Bwt and forgetting read the lower triangle, earlier tasks only (t <= s, t < n - 1).
                if (t <= s && t < n - 1 && Double.isNaN(b[s][t])) return null;
            }
        }
        return AccuracyMatrix.of(b);
    }
}

package clipcl.continual.report;

import clipcl.continual.metrics.AccuracyMatrix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** The mean over seeds behind {@link RunResult#meanOverSeeds}. */
final class SeedMean {
    private SeedMean() { }

    static RunResult of(List<RunResult> runs) {
        if (runs == null || runs.isEmpty()) throw new IllegalArgumentException("meanOverSeeds: no runs");
        List<RunResult> rs = new ArrayList<>();
        for (RunResult r : runs) rs.add(r.withMatrixMetrics());
        RunResult first = rs.get(0);
        if (rs.size() == 1) return first;
        List<Long> seeds = new ArrayList<>();
        for (RunResult r : rs) {
            same("method", first.method(), r.method());
            same("protocol", first.protocol(), r.protocol());
            same("update", first.update(), r.update());
            same("number of sessions", first.sessions().size(), r.sessions().size());
            same("accuracy matrix shape", first.accuracy().sessions() + " x " + first.accuracy().tasks(),
                    r.accuracy().sessions() + " x " + r.accuracy().tasks());
            same("task-aware matrix present", first.taskAware() != null, r.taskAware() != null);
            for (Long s : r.seeds()) {
                if (seeds.contains(s)) throw new IllegalArgumentException("meanOverSeeds: seed " + s + " appears in two runs");
                seeds.add(s);
            }
        }
        List<Map<String, Double>> sessions = new ArrayList<>();
        for (int s = 0; s < first.sessions().size(); s++) {
            int k = s;
            sessions.add(meanMaps("session " + (s + 1), rs, r -> r.sessions().get(k)));
        }
        Map<String, Double> initial = meanMaps("initial", rs, RunResult::initial);
        Map<String, Double> fin = meanMaps("final", rs, RunResult::finalMetrics);
        AccuracyMatrix acc = meanMatrix(rs, RunResult::accuracy);
        AccuracyMatrix taskAware = first.taskAware() == null ? null : meanMatrix(rs, RunResult::taskAware);
        Map<String, Object> diag = new LinkedHashMap<>(meanDiagnostics(rs));
        diag.put("accuracy_matrix_std", stdMatrix(rs, RunResult::accuracy));
        if (taskAware != null) diag.put("accuracy_matrix_task_aware_std", stdMatrix(rs, RunResult::taskAware));
        return new RunResult(first.method(), first.protocol(), first.update(), seeds, initial, sessions, fin, acc, taskAware,
                meanLosses(rs), diag);
    }

    private static void same(String what, Object a, Object b) {
        if (!Objects.equals(a, b)) throw new IllegalArgumentException("meanOverSeeds: runs differ in " + what + ": " + a + " vs " + b);
    }

    private static Map<String, Double> meanMaps(String where, List<RunResult> rs, Function<RunResult, Map<String, Double>> get) {
        Map<String, Double> firstMap = get.apply(rs.get(0));
        for (RunResult r : rs) {
            if (!get.apply(r).keySet().equals(firstMap.keySet())) {
                throw new IllegalArgumentException("meanOverSeeds: " + where + " has keys " + firstMap.keySet() + " in seed " + rs.get(0).seeds()
                        + " but " + get.apply(r).keySet() + " in seed " + r.seeds());
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (String key : firstMap.keySet()) {
            if (key.endsWith("_std")) throw new IllegalArgumentException("meanOverSeeds: " + where + " already holds '" + key + "' (a result averaged twice?)");
            double[] v = new double[rs.size()];
            for (int i = 0; i < v.length; i++) v[i] = get.apply(rs.get(i)).get(key);
            out.put(key, mean(v));
            out.put(key + "_std", std(v));
        }
        return out;
    }

    private static AccuracyMatrix meanMatrix(List<RunResult> rs, Function<RunResult, AccuracyMatrix> get) {
        AccuracyMatrix m0 = get.apply(rs.get(0));
        double[][] out = new double[m0.sessions()][m0.tasks()];
        for (int s = 0; s < out.length; s++) for (int t = 0; t < out[s].length; t++) out[s][t] = mean(column(rs, get, s, t));
        return AccuracyMatrix.of(out);
    }

    private static List<List<Double>> stdMatrix(List<RunResult> rs, Function<RunResult, AccuracyMatrix> get) {
        AccuracyMatrix m0 = get.apply(rs.get(0));
        List<List<Double>> out = new ArrayList<>();
        for (int s = 0; s < m0.sessions(); s++) {
            List<Double> row = new ArrayList<>();
            for (int t = 0; t < m0.tasks(); t++) row.add(std(column(rs, get, s, t)));
            out.add(row);
        }
        return out;
    }

    private static double[] column(List<RunResult> rs, Function<RunResult, AccuracyMatrix> get, int s, int t) {
        double[] v = new double[rs.size()];
        for (int i = 0; i < v.length; i++) v[i] = get.apply(rs.get(i)).get(s, t);
        return v;
    }

    /** Step by step over the steps all seeds logged; a term missing in some seed's step is left out of that step. */
    private static List<Map<String, Double>> meanLosses(List<RunResult> rs) {
        int steps = Integer.MAX_VALUE;
        for (RunResult r : rs) steps = Math.min(steps, r.losses().size());
        List<Map<String, Double>> out = new ArrayList<>();
        for (int k = 0; k < steps; k++) {
            Map<String, Double> m = new LinkedHashMap<>();
            for (String key : rs.get(0).losses().get(k).keySet()) {
                double[] v = new double[rs.size()];
                boolean all = true;
                for (int i = 0; i < v.length && all; i++) {
                    Double x = rs.get(i).losses().get(k).get(key);
                    if (x == null) all = false;
                    else v[i] = x;
                }
                if (all) m.put(key, mean(v));
            }
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> meanDiagnostics(List<RunResult> rs) {
        List<Map<String, Object>> maps = new ArrayList<>();
        for (RunResult r : rs) maps.add(r.diagnostics());
        return meanObjects(maps);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> meanObjects(List<Map<String, Object>> maps) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : maps.get(0).keySet()) {
            List<Object> vs = new ArrayList<>();
            for (Map<String, Object> m : maps) vs.add(m.get(key));
            // Counts and other integers that agree (settings, sizes) stay as they are; measured numbers get a spread.
            boolean sameInteger = vs.stream().allMatch(v -> (v instanceof Integer || v instanceof Long) && Objects.equals(v, vs.get(0)));
            boolean numbers = !sameInteger && vs.stream().allMatch(v -> v instanceof Number);
            boolean objects = vs.stream().allMatch(v -> v instanceof Map);
            if (numbers) {
                double[] v = new double[vs.size()];
                for (int i = 0; i < v.length; i++) v[i] = ((Number) vs.get(i)).doubleValue();
                out.put(key, mean(v));
                out.put(key + "_std", std(v));
            } else if (objects) {
                List<Map<String, Object>> sub = new ArrayList<>();
                for (Object v : vs) sub.add((Map<String, Object>) v);
                out.put(key, meanObjects(sub));
            } else if (vs.stream().allMatch(v -> Objects.equals(v, vs.get(0)))) {
                out.put(key, vs.get(0));
            } else {
                out.put(key + "_per_seed", vs);
            }
        }
        return out;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    /** Sample standard deviation (n - 1 in the denominator): the spread of a few seeds. */
    static double std(double[] v) {
        if (v.length < 2) return 0;
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }
}

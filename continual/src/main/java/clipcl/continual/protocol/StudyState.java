package clipcl.continual.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a study stands, saved in every checkpoint (trainer.json's "extra"): the session and the step
 * inside it, the metrics measured so far, both accuracy matrices, every logged step, the method's
 * state and its replay buffer. Doubles go through JSON exactly (shortest round-trip form); NaN
 * (not evaluated) is written as null and read back as NaN.
 */
final class StudyState {
    int session;
    long sessionStep, globalStep;
    boolean inSession, hasOptimizer;
    Map<String, Double> initial = new LinkedHashMap<>();
    final List<Map<String, Double>> sessions = new ArrayList<>();
    final double[][] classIncremental, taskAware;
    final List<Map<String, Double>> losses = new ArrayList<>();
    Map<String, Object> methodState = Map.of();
    Map<String, Object> buffer;

    StudyState(int sessionsPlanned, int tasks) {
        classIncremental = nan(sessionsPlanned, tasks);
        taskAware = nan(sessionsPlanned, tasks);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session", session);
        m.put("session_step", sessionStep);
        m.put("global_step", globalStep);
        m.put("in_session", inSession);
        m.put("has_optimizer", hasOptimizer);
        m.put("initial", new LinkedHashMap<>(initial));
        m.put("sessions", new ArrayList<>(sessions));
        m.put("accuracy", rows(classIncremental));
        m.put("task_aware", rows(taskAware));
        m.put("losses", new ArrayList<>(losses));
        m.put("method", methodState);
        if (buffer != null) m.put("buffer", buffer); // TrainState copies the map: no null values
        return m;
    }

    @SuppressWarnings("unchecked")
    static StudyState fromJson(Map<String, Object> j, int sessionsPlanned, int tasks) {
        StudyState s = new StudyState(sessionsPlanned, tasks);
        if (!j.containsKey("session")) throw new IllegalArgumentException("checkpoint holds no study state (trainer.json 'extra' has no 'session')");
        s.session = num(j, "session").intValue();
        s.sessionStep = num(j, "session_step").longValue();
        s.globalStep = num(j, "global_step").longValue();
        s.inSession = (Boolean) j.get("in_session");
        s.hasOptimizer = (Boolean) j.get("has_optimizer");
        s.initial = doubles((Map<String, Object>) j.get("initial"));
        for (Object o : (List<Object>) j.get("sessions")) s.sessions.add(doubles((Map<String, Object>) o));
        readRows((List<Object>) j.get("accuracy"), s.classIncremental, "accuracy");
        readRows((List<Object>) j.get("task_aware"), s.taskAware, "task_aware");
        for (Object o : (List<Object>) j.get("losses")) s.losses.add(doubles((Map<String, Object>) o));
        s.methodState = j.get("method") instanceof Map<?, ?> mm ? (Map<String, Object>) mm : Map.of();
        s.buffer = j.get("buffer") instanceof Map<?, ?> bm ? (Map<String, Object>) bm : null;
        return s;
    }

    private static Number num(Map<String, Object> j, String k) {
        if (!(j.get(k) instanceof Number n)) throw new IllegalArgumentException("checkpoint study state: '" + k + "' missing or not a number");
        return n;
    }

    private static Map<String, Double> doubles(Map<String, Object> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v == null ? Double.NaN : ((Number) v).doubleValue()));
        return out;
    }

    private static List<Object> rows(double[][] a) {
        List<Object> out = new ArrayList<>();
        for (double[] r : a) {
            List<Object> row = new ArrayList<>();
            for (double v : r) row.add(v);
            out.add(row);
        }
        return out;
    }

    private static void readRows(List<Object> rows, double[][] into, String what) {
        if (rows.size() != into.length) throw new IllegalArgumentException("checkpoint study state: " + what + " has " + rows.size() + " rows, the plan " + into.length + " sessions");
        for (int s = 0; s < into.length; s++) {
            List<?> r = (List<?>) rows.get(s);
            for (int t = 0; t < into[s].length; t++) into[s][t] = r.get(t) == null ? Double.NaN : ((Number) r.get(t)).doubleValue();
        }
    }

    private static double[][] nan(int s, int t) {
        double[][] a = new double[s][t];
        for (double[] r : a) Arrays.fill(r, Double.NaN);
        return a;
    }
}

package clipcl.continual.linalg;

import clipcl.tensor.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** NumPy's reference values (continual/src/test/python/linalg_fixtures.py writes them). */
final class Fixtures {
    private Fixtures() { }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases(String kind) throws IOException {
        try (InputStream in = Fixtures.class.getResourceAsStream("/linalg/fixtures.json")) {
            if (in == null) throw new IOException("linalg/fixtures.json missing from the test resources");
            Map<String, Object> root = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            List<Map<String, Object>> cs = (List<Map<String, Object>>) ((Map<String, Object>) root.get("cases")).get(kind);
            if (cs == null || cs.isEmpty()) throw new IOException("linalg/fixtures.json has no '" + kind + "' cases");
            return cs;
        }
    }

    /** One check of one fixture case; {@code name} names the case in messages. */
    @FunctionalInterface
    interface CaseCheck {
        void check(String name, Map<String, Object> c, double[][] a) throws Exception;
    }

    /** Runs the check on every case of a kind, with the case's input matrix "a". */
    static void each(String kind, CaseCheck check) throws Exception {
        for (Map<String, Object> c : cases(kind)) check.check(kind + " " + c.get("name"), c, mat(c, "a"));
    }

    static double[][] mat(Map<String, Object> c, String key) {
        List<?> rows = (List<?>) c.get(key);
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < m.length; i++) m[i] = vec((List<?>) rows.get(i));
        return m;
    }

    static double[] vec(Map<String, Object> c, String key) {
        return vec((List<?>) c.get(key));
    }

    private static double[] vec(List<?> l) {
        double[] v = new double[l.size()];
        for (int i = 0; i < v.length; i++) v[i] = ((Number) l.get(i)).doubleValue();
        return v;
    }
}

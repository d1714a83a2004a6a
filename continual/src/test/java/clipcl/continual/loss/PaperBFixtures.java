package clipcl.continual.loss;

import clipcl.tensor.Tensor;
import clipcl.tensor.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** PyTorch's reference values for paper B's losses (continual/src/test/python/paperb_fixtures.py writes them). */
public final class PaperBFixtures {
    private PaperBFixtures() { }

    public static Map<String, Object> root() throws IOException {
        try (InputStream in = PaperBFixtures.class.getResourceAsStream("/paperb/fixtures.json")) {
            if (in == null) throw new IOException("paperb/fixtures.json missing from the test resources");
            return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    public static double[][] matrix(Object o) {
        List<?> rows = (List<?>) o;
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            List<?> r = (List<?>) rows.get(i);
            m[i] = new double[r.size()];
            for (int j = 0; j < m[i].length; j++) m[i][j] = ((Number) r.get(j)).doubleValue();
        }
        return m;
    }

    /** An F64 tensor of a matrix. */
    public static Tensor f64(double[][] m) {
        double[] flat = new double[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) System.arraycopy(m[i], 0, flat, i * m[0].length, m[0].length);
        return Tensor.of(flat, m.length, m[0].length);
    }

    public static double[] flat(double[][] m) {
        double[] flat = new double[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) System.arraycopy(m[i], 0, flat, i * m[0].length, m[0].length);
        return flat;
    }
}

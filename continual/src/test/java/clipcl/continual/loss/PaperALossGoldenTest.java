package clipcl.continual.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.Var;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Paper A's loss terms against PyTorch (continual/src/test/python/paper_a_loss_fixtures.py), in float64. */
class PaperALossGoldenTest {
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases(String kind) throws IOException {
        try (InputStream in = PaperALossGoldenTest.class.getResourceAsStream("/loss/fixtures.json")) {
            if (in == null) throw new IOException("loss/fixtures.json missing from the test resources");
            Map<String, Object> root = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            List<Map<String, Object>> cs = (List<Map<String, Object>>) ((Map<String, Object>) root.get("cases")).get(kind);
            if (cs == null || cs.isEmpty()) throw new IOException("loss/fixtures.json has no '" + kind + "' cases");
            return cs;
        }
    }

    static Tensor tensor(Map<String, Object> c, String key) {
        List<?> rows = (List<?>) c.get(key);
        int n = rows.size(), m = ((List<?>) rows.get(0)).size();
        double[] v = new double[n * m];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) v[i * m + j] = ((Number) ((List<?>) rows.get(i)).get(j)).doubleValue();
        return Tensor.of(v, n, m);
    }

    static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        assertEquals(e.length, a.length, what + ": size");
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], tol * Math.max(1, Math.abs(e[i])), what + " [" + i + "]");
    }

    @Test
    void distillationMatchesTorchValuesAndGradients() throws IOException {
        for (Map<String, Object> c : cases("distillation")) {
            String name = "distillation " + c.get("name");
            Var x = Var.param(tensor(c, "new"));
            double t = ((Number) c.get("t")).doubleValue();
            Var loss = Distillation.loss(x, tensor(c, "old"), t, Distillation.form((String) c.get("form")));
            assertEquals(((Number) c.get("loss")).doubleValue(), loss.item(), 1e-10, name + ": value");
            loss.backward();
            assertClose(tensor(c, "grad"), x.grad(), 1e-10, name + ": gradient");
        }
    }

    @Test
    void geodlMatchesTorchValuesAndGradients() throws IOException {
        for (Map<String, Object> c : cases("geodl")) {
            String name = "geodl " + c.get("name");
            Var x = Var.param(tensor(c, "new"));
            GeoDlLoss.Form form = c.get("form").equals("authors") ? GeoDlLoss.Form.AUTHORS : GeoDlLoss.Form.PAPER;
            Var loss = GeoDlLoss.loss(x, tensor(c, "old"), form, ((Number) c.get("dim")).intValue());
            assertEquals(((Number) c.get("loss")).doubleValue(), loss.item(), 1e-9, name + ": value");
            loss.backward();
            assertClose(tensor(c, "grad"), x.grad(), 1e-8, name + ": gradient");
            assertTrue(x.grad().abs().sum().item() > 0, name + ": a gradient at all");
        }
    }
}

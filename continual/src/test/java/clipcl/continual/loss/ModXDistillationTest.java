package clipcl.continual.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.Var;
import clipcl.continual.train.Batch;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Mod-X's distillation against the authors' formula in PyTorch, and by finite differences. */
class ModXDistillationTest {
    /** cosines of rows of a and b, row-major, as the old model's similarity matrix. */
    static float[] cosines(double[][] a, double[][] b) {
        float[] c = new float[a.length * b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                double d = 0, na = 0, nb = 0;
                for (int k = 0; k < a[i].length; k++) {
                    d += a[i][k] * b[j][k];
                    na += a[i][k] * a[i][k];
                    nb += b[j][k] * b[j][k];
                }
                c[i * b.length + j] = (float) (d / Math.sqrt(na * nb));
            }
        }
        return c;
    }

    static Batch labelled(List<String> captions, int[] labels) {
        return new Batch(new int[labels.length], labels, null, captions, null, 0);
    }

    static Var loss(Var img, Var txt, float[] old, boolean[] ki, boolean[] kt, ModXDistillation.Reduction r) {
        Var cur = img.l2Normalize(-1, 1e-12).matmul(txt.l2Normalize(-1, 1e-12).mT());
        return ModXDistillation.symmetric(cur, old, ki, kt, r);
    }

    @Test
    @SuppressWarnings("unchecked")
    void matchesTheAuthorsFormulaInPyTorch() throws Exception {
        List<Map<String, Object>> cases = (List<Map<String, Object>>) PaperBFixtures.root().get("modx");
        assertEquals(6, cases.size());
        for (Map<String, Object> c : cases) {
            String name = (String) c.get("name");
            List<String> caps = (List<String>) c.get("captions");
            List<?> lab = (List<?>) c.get("labels");
            int[] labels = new int[lab.size()];
            for (int i = 0; i < labels.length; i++) labels[i] = ((Number) lab.get(i)).intValue();
            double[][] oi = PaperBFixtures.matrix(c.get("old_image")), ot = PaperBFixtures.matrix(c.get("old_text"));
            float[] old = cosines(oi, ot);
            int b = labels.length;
            ModXDistillation.Rule rule = ModXDistillation.parseRule((String) c.get("rule"));
            Batch batch = labelled(caps, labels);
            boolean[] ki = ModXDistillation.correctRows(old, b, batch, rule);
            boolean[] kt = ModXDistillation.correctRows(ModXDistillation.transpose(old, b), b, batch, rule);
            assertArrayEquals(flags(c.get("keep_image_rows")), ki, name + ": image rows kept");
            assertArrayEquals(flags(c.get("keep_text_rows")), kt, name + ": text rows kept");
            Var img = Var.param(PaperBFixtures.f64(PaperBFixtures.matrix(c.get("image"))));
            Var txt = Var.param(PaperBFixtures.f64(PaperBFixtures.matrix(c.get("text"))));
            ModXDistillation.Reduction red = c.get("reduction").equals("sum") ? ModXDistillation.Reduction.SUM : ModXDistillation.Reduction.MEAN;
            Var l = loss(img, txt, old, ki, kt, red);
            // the old cosines are float in the trainer (and here): 1e-6 relative
            assertEquals(((Number) c.get("loss")).doubleValue(), l.item(), 1e-5, name + ": loss");
            l.backward();
            assertArrayEquals(PaperBFixtures.flat(PaperBFixtures.matrix(c.get("grad_image"))), img.grad().toDoubleArray(), 1e-5, name + ": d/d image");
            assertArrayEquals(PaperBFixtures.flat(PaperBFixtures.matrix(c.get("grad_text"))), txt.grad().toDoubleArray(), 1e-5, name + ": d/d text");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void gradientMatchesFiniteDifferences() throws Exception {
        Map<String, Object> c = ((List<Map<String, Object>>) PaperBFixtures.root().get("modx")).get(1); // caption rule, some rows replaced
        double[][] im = PaperBFixtures.matrix(c.get("image")), tx = PaperBFixtures.matrix(c.get("text"));
        float[] old = cosines(PaperBFixtures.matrix(c.get("old_image")), PaperBFixtures.matrix(c.get("old_text")));
        boolean[] ki = flags(c.get("keep_image_rows")), kt = flags(c.get("keep_text_rows"));
        for (ModXDistillation.Reduction red : ModXDistillation.Reduction.values()) {
            Function<double[][][], Double> f = x -> loss(Var.constant(PaperBFixtures.f64(x[0])), Var.constant(PaperBFixtures.f64(x[1])), old, ki, kt, red).item();
            Var img = Var.param(PaperBFixtures.f64(im)), txt = Var.param(PaperBFixtures.f64(tx));
            loss(img, txt, old, ki, kt, red).backward();
            double[][] g = {img.grad().toDoubleArray(), txt.grad().toDoubleArray()};
            double h = 1e-6;
            for (int which = 0; which < 2; which++) {
                for (int i = 0; i < im.length; i++) {
                    for (int k = 0; k < im[0].length; k++) {
                        double[][][] plus = {copy(im), copy(tx)}, minus = {copy(im), copy(tx)};
                        plus[which][i][k] += h;
                        minus[which][i][k] -= h;
                        double num = (f.apply(plus) - f.apply(minus)) / (2 * h);
                        assertEquals(num, g[which][i * im[0].length + k], 1e-7, red + " tower " + which + " [" + i + "," + k + "]");
                    }
                }
            }
        }
    }

    @Test
    void replacedRowsCarryNoLossAndNoGradient() {
        double[][] im = {{1, 0.2, 0}, {0.1, 1, 0.3}, {0, 0.4, 1}}, tx = {{0.5, 1, 0}, {1, 0, 0.2}, {0.3, 0.3, 1}};
        float[] old = cosines(tx, im);
        boolean[] none = new boolean[3];
        Var img = Var.param(PaperBFixtures.f64(im)), txt = Var.param(PaperBFixtures.f64(tx));
        Var l = loss(img, txt, old, none, none, ModXDistillation.Reduction.SUM);
        assertEquals(0, l.item(), 1e-12);
        l.backward();
        for (double v : img.grad().toDoubleArray()) assertEquals(0, v, 1e-12);
        for (double v : txt.grad().toDoubleArray()) assertEquals(0, v, 1e-12);
        // in float too: replaced rows are exactly zero, not rounding noise around it
        Var f32 = Var.param(PaperBFixtures.f64(im).to(clipcl.tensor.DType.F32));
        assertEquals(0.0, loss(f32, Var.constant(PaperBFixtures.f64(tx).to(clipcl.tensor.DType.F32)), old, none, none, ModXDistillation.Reduction.SUM).item());
        // keeping one row makes that row, and only that one, pull on the student
        boolean[] first = {true, false, false};
        assertTrue(loss(Var.constant(PaperBFixtures.f64(im)), Var.constant(PaperBFixtures.f64(tx)), old, first, none, ModXDistillation.Reduction.SUM).item() > 1e-4);
    }

    @Test
    void rulesDifferOnlyWhereCaptionsRepeat() {
        // old similarities: every row's maximum is at column 0
        float[] sim = {1, 0, 0, 0, 1, 0.5f, 0.2f, 0.1f, 1, 0.9f, 0.3f, 0.2f, 1, 0, 0, 0.9f};
        Batch repeated = labelled(List.of("a one", "a one", "a two", "a one"), new int[] {1, 1, 2, 2});
        assertArrayEquals(new boolean[] {true, false, false, false}, ModXDistillation.correctRows(sim, 4, repeated, ModXDistillation.Rule.INDEX));
        assertArrayEquals(new boolean[] {true, true, false, true}, ModXDistillation.correctRows(sim, 4, repeated, ModXDistillation.Rule.CAPTION));
        assertArrayEquals(new boolean[] {true, true, false, false}, ModXDistillation.correctRows(sim, 4, repeated, ModXDistillation.Rule.CLASS));
        Batch unique = labelled(List.of("a", "b", "c", "d"), new int[] {1, 1, 2, 2});
        assertArrayEquals(ModXDistillation.correctRows(sim, 4, unique, ModXDistillation.Rule.INDEX), ModXDistillation.correctRows(sim, 4, unique, ModXDistillation.Rule.CAPTION));
    }

    static boolean[] flags(Object o) {
        List<?> l = (List<?>) o;
        boolean[] f = new boolean[l.size()];
        for (int i = 0; i < f.length; i++) f[i] = (Boolean) l.get(i);
        return f;
    }

    static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) c[i] = m[i].clone();
        return c;
    }
}

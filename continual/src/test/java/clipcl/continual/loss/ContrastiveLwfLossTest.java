package clipcl.continual.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.Var;
import clipcl.continual.method.Lwf;
import clipcl.continual.method.MethodOptions;
import clipcl.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Paper B's contrastive LwF against its formula in PyTorch (values and gradients, the logit scale's included). */
class ContrastiveLwfLossTest {
    @Test
    @SuppressWarnings("unchecked")
    void matchesPyTorch() throws Exception {
        List<Map<String, Object>> cases = (List<Map<String, Object>>) PaperBFixtures.root().get("lwf_batch");
        assertEquals(2, cases.size());
        for (Map<String, Object> c : cases) {
            String name = (String) c.get("name");
            Var img = Var.param(PaperBFixtures.f64(PaperBFixtures.matrix(c.get("image"))));
            Var txt = Var.param(PaperBFixtures.f64(PaperBFixtures.matrix(c.get("text"))));
            Var logScale = Var.param(Tensor.scalar(((Number) c.get("log_scale")).doubleValue(), clipcl.tensor.DType.F64));
            Tensor oi = PaperBFixtures.f64(PaperBFixtures.matrix(c.get("old_image"))), ot = PaperBFixtures.f64(PaperBFixtures.matrix(c.get("old_text")));
            Var l = ContrastiveLwfLoss.loss(img, txt, logScale.exp(), oi, ot, ((Number) c.get("old_scale")).doubleValue(), ((Number) c.get("t")).doubleValue());
            // the old logits are float in the trainer (and here): about 1e-6 relative
            assertEquals(((Number) c.get("loss")).doubleValue(), l.item(), 1e-5, name + ": loss");
            l.backward();
            assertArrayEquals(PaperBFixtures.flat(PaperBFixtures.matrix(c.get("grad_image"))), img.grad().toDoubleArray(), 1e-5, name + ": d/d image");
            assertArrayEquals(PaperBFixtures.flat(PaperBFixtures.matrix(c.get("grad_text"))), txt.grad().toDoubleArray(), 1e-5, name + ": d/d text");
            assertEquals(((Number) c.get("grad_log_scale")).doubleValue(), logScale.grad().item(), 1e-5, name + ": d/d logit scale");
        }
    }

    @Test
    void theSameModelHasNothingToDistil() {
        Tensor f = Tensor.of(new double[] {1, 0, 0, 1, 1, 1}, 3, 2);
        Tensor g = Tensor.of(new double[] {0, 1, 1, 0, 1, -1}, 3, 2);
        Var l = ContrastiveLwfLoss.loss(Var.param(f), Var.param(g), Var.constant(Tensor.scalar(5.0, clipcl.tensor.DType.F64)), f, g, 5.0, 1);
        assertEquals(0, l.item(), 1e-6);
    }

    @Test
    void theMethodOptionSelectsIt() {
        assertTrue(new Lwf(MethodOptions.parse("lwf:over=batch")).lossTerms(null).get(0) instanceof ContrastiveLwfLoss);
        String e = assertThrows(IllegalArgumentException.class, () -> new Lwf(MethodOptions.parse("lwf:over=batch,form=printed"))).getMessage();
        assertTrue(e.contains("over=batch"), e);
        assertThrows(IllegalArgumentException.class, () -> new Lwf(MethodOptions.parse("lwf:over=pairs")));
    }
}

package clipcl.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.GradCheck;
import clipcl.autograd.Var;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParametrizationTest {
    /** W_eff = W * s[:, None]: a learnable scale per output row (RKR-style), init ones. */
    static final class RowScale extends Module implements Parametrization {
        RowScale(int rows, Init init) { registerParameter("scale", init.ones(rows)); }

        @Override
        public Var apply(Var raw) { return raw.mul(param("scale").unsqueeze(1)); }
    }

    /** W_eff = W + B A with rank r (LoRA-style); B starts at zero so the layer starts unchanged. */
    static final class LowRank extends Module implements Parametrization {
        LowRank(int out, int in, int r, Init init) {
            registerParameter("a", init.normal(0.1, r, in));
            registerParameter("b", init.zeros(out, r));
        }

        @Override
        public Var apply(Var raw) { return raw.add(param("b").matmul(param("a"))); }
    }

    @Test
    void effectiveWeightIsUsedAndBothGetGradients() {
        Linear l = new Linear(3, 2, Init.f64(1));
        RowScale p = l.parametrize("weight", new RowScale(2, Init.f64(2)));
        p.namedParameters().get("scale").data().copyFrom(Tensor.of(new double[] {2, -0.5}, 2));
        Tensor x = new Rng(3).uniform(DType.F64, -1, 1, 4, 3);
        Tensor y = l.forward(Var.constant(x)).data();
        Tensor w = l.weight().data(), b = l.bias().data();
        // l.weight() is the effective weight; the raw one is the registered parameter
        Tensor raw = l.namedParameters().get("weight").data();
        for (int o = 0; o < 2; o++) {
            for (int i = 0; i < 3; i++) assertEquals(raw.get(o, i) * (o == 0 ? 2 : -0.5), w.get(o, i), 1e-15);
            for (int r = 0; r < 4; r++) {
                double s = b.get(o);
                for (int i = 0; i < 3; i++) s += x.get(r, i) * w.get(o, i);
                assertEquals(s, y.get(r, o), 1e-12);
            }
        }
        assertEquals(List.of("weight", "bias", "weight_parametrization.scale"), List.copyOf(l.namedParameters().keySet()));
        List<Var> inputs = new ArrayList<>(l.namedParameters().values());
        GradCheck.check("parametrized Linear", in -> l.forward(Var.constant(x)).square().sum(), inputs);
    }

    @Test
    void nestedNamesCopiesAndBaking() {
        Sequential<Linear> s = new Sequential<>(List.of(new Linear(3, 4, Init.f32(1)), new Linear(4, 2, Init.f32(2))));
        s.parametrize("1.weight", new LowRank(2, 4, 2, Init.f32(3)));
        assertTrue(s.isParametrized("1.weight"));
        assertFalse(s.isParametrized("0.weight"));
        assertTrue(s.stateDict().containsKey("1.weight_parametrization.b"));
        Var x = Var.constant(new Rng(4).uniform(DType.F32, -1, 1, 5, 3));
        float[] before = s.forward(x).data().toFloatArray();
        // b = 0: the layer starts unchanged; then give b a value
        s.parameter("1.weight_parametrization.b").data().copyFrom(new Rng(5).uniform(DType.F32, -1, 1, 2, 2));
        float[] changed = s.forward(x).data().toFloatArray();
        assertFalse(java.util.Arrays.equals(before, changed));
        Sequential<Linear> copy = s.deepCopy();
        assertArrayEquals(changed, copy.forward(x).data().toFloatArray());
        assertTrue(copy.isParametrized("1.weight"));
        // baking keeps the output and drops the extra parameters
        s.removeParametrization("1.weight", true);
        assertFalse(s.stateDict().containsKey("1.weight_parametrization.b"));
        assertArrayEquals(changed, s.forward(x).data().toFloatArray(), 1e-5f);
        // removing without baking goes back to the raw weight
        copy.removeParametrization("1.weight", false);
        assertArrayEquals(before, copy.forward(x).data().toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> s.removeParametrization("1.weight", false));
        assertThrows(IllegalArgumentException.class, () -> s.parametrize("1.nothing", new LowRank(2, 4, 1, Init.f32(1))));
    }
}

package clipcl.continual.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.Var;
import clipcl.autograd.nn.Init;
import clipcl.autograd.nn.Linear;
import clipcl.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamMapsTest {
    private static Map<String, Tensor> map(double[] w, double[] b) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("weight", Tensor.of(w, 2, 2));
        m.put("bias", Tensor.of(b, 2));
        return m;
    }

    @Test
    void arithmeticMatchesHandComputedValues() {
        Map<String, Tensor> a = map(new double[] {1, 2, 3, 4}, new double[] {-1, 0}), b = map(new double[] {5, 6, 7, 8}, new double[] {1, 2});
        assertArrayEquals(new double[] {2, 3, 4, 5}, ParamMaps.lerp(a, b, 0.25).get("weight").toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {-0.5, 0.5}, ParamMaps.lerp(a, b, 0.25).get("bias").toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {6, 8, 10, 12}, ParamMaps.add(a, b).get("weight").toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {2, 2}, ParamMaps.sub(b, a).get("bias").toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {-3, 0}, ParamMaps.scale(a, 3).get("bias").toDoubleArray(), 1e-12);
        // 5 + 12 + 21 + 32 + (-1) + 0
        assertEquals(69, ParamMaps.dot(a, b), 1e-12);
        Map<String, Tensor> wrong = new LinkedHashMap<>(b);
        wrong.put("bias", Tensor.of(new double[] {1, 2, 3}, 3));
        wrong.put("extra", Tensor.of(new double[] {1}, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParamMaps.add(a, wrong));
        assertTrue(e.getMessage().contains("only in the second: [extra]") && e.getMessage().contains("shape of bias"), e.getMessage());
    }

    @Test
    void fisherWeightedDistanceAndItsGradient() {
        Linear l = new Linear(2, 2, Init.f64(1));
        Map<String, Tensor> anchor = map(new double[] {0, 0, 0, 0}, new double[] {0, 0});
        Map<String, Tensor> fisher = map(new double[] {1, 2, 0, 0}, new double[] {3, 0});
        ParamMaps.load(l, map(new double[] {1, 1, 5, 5}, new double[] {2, 7}));
        Var d = ParamMaps.fisherDistance(l.namedParameters(), anchor, fisher);
        // 1*1 + 2*1 + 0 + 0 + 3*4 + 0
        assertEquals(15, d.item(), 1e-12);
        d.backward();
        // d/dtheta = 2 F (theta - anchor)
        assertArrayEquals(new double[] {2, 4, 0, 0}, l.namedParameters().get("weight").grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {12, 0}, l.namedParameters().get("bias").grad().toDoubleArray(), 1e-12);
        // no Fisher: plain squared distance (L2-anchor)
        assertEquals(1 + 1 + 25 + 25 + 4 + 49, ParamMaps.fisherDistance(l.namedParameters(), anchor, null).item(), 1e-12);
        // a snapshot is a copy: changing the model does not change it
        Map<String, Tensor> snap = ParamMaps.snapshot(l);
        l.namedParameters().get("bias").data().fill(0);
        assertArrayEquals(new double[] {2, 7}, snap.get("bias").toDoubleArray(), 1e-12);
    }
}

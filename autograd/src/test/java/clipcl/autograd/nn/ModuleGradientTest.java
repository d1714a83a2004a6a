package clipcl.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import clipcl.autograd.GradCheck;
import clipcl.autograd.Var;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The modules in float64 against central finite differences: input and every parameter at once. */
class ModuleGradientTest {
    @Test
    void embeddingPicksRowsAndScattersGradients() {
        Embedding e = new Embedding(5, 3, Init.f64(7));
        Tensor ids = Tensor.of(new int[] {4, 0, 4}, 3);
        Var y = e.forward(ids);
        assertArrayEquals(new int[] {3, 3}, y.dims());
        for (int j = 0; j < 3; j++) assertEquals(e.weight().data().get(4, j), y.data().get(0, j));
        y.sum().backward();
        double[] g = e.weight().grad().toDoubleArray();
        assertEquals(2.0, g[4 * 3]);
        assertEquals(1.0, g[0]);
        assertEquals(0.0, g[3]);
    }

    @Test
    void sequentialChainsLayers() {
        Sequential<Linear> s = new Sequential<>(List.of(new Linear(3, 4, Init.f64(1)), new Linear(4, 2, Init.f64(2))));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), List.copyOf(s.namedParameters().keySet()));
        Var x = Var.constant(new Rng(1).uniform(DType.F64, -1, 1, 5, 3));
        assertArrayEquals(s.get(1).forward(s.get(0).forward(x)).data().toDoubleArray(), s.forward(x).data().toDoubleArray());
    }
}

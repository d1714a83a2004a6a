package clipcl.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The production dtype: every gradient case run on F32 copies of its inputs gives the gradients of
 * the F64 run (which the finite-difference checks validated) to float32 accuracy, and the same
 * outputs; on the vector backend this covers the F32 fast paths (SIMD kernels, SGEMM linear).
 */
class Float32PathTest {
    @TestFactory
    Stream<DynamicTest> float32GradientsMatchFloat64() {
        return GradCases.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            try (Scope s = Scope.open()) {
                List<Var> in64 = c.inputs().get();
                List<Var> in32 = new ArrayList<>();
                for (Var v : in64) in32.add(new Var(v.data().to(DType.F32), v.requiresGrad()));
                double[] y64 = forward(c, in64), y32 = forward(c, in32);
                for (int j = 0; j < y64.length; j++) {
                    assertEquals(y64[j], y32[j], 1e-5 + 1e-5 * Math.abs(y64[j]), c.name() + ": output element " + j);
                }
                double[][] g64 = grads(c, in64), g32 = grads(c, in32);
                for (int i = 0; i < g64.length; i++) {
                    if (g64[i] == null) continue;
                    assertNotNull(g32[i], c.name() + ": input " + i + " got no F32 gradient");
                    for (int j = 0; j < g64[i].length; j++) {
                        double tol = 2e-5 + 1e-4 * Math.abs(g64[i][j]);
                        assertEquals(g64[i][j], g32[i][j], tol, c.name() + ": input " + i + " element " + j);
                    }
                }
            }
        }));
    }

    private static double[] forward(GradCases.Case c, List<Var> in) {
        try (var g = Grad.noGrad()) { return c.fn().apply(in).data().toDoubleArray(); }
    }

    private static double[][] grads(GradCases.Case c, List<Var> in) {
        Var out = c.fn().apply(in);
        try (Tensor w = new Rng(99).normal(out.dtype(), 0, 1, out.dims())) {
            if (out.requiresGrad()) out.backward(w);
        }
        double[][] g = new double[in.size()][];
        for (int i = 0; i < in.size(); i++) if (in.get(i).grad() != null) g[i] = in.get(i).grad().toDoubleArray();
        return g;
    }
}

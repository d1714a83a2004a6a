package clipcl.continual.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.Var;
import clipcl.continual.linalg.GeodesicFlowKernel;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * GeoDL's gradients by central finite differences in float64, with the kernel held fixed (training
 * detaches it), for both forms, and properties of the loss that hold whatever the reference.
 */
class GeoDlGradientTest {
    static double[][] kernel(int e, int d, Rng r) {
        double[][] a = new double[e][d], b = new double[e][d];
        for (int i = 0; i < e; i++) for (int j = 0; j < d; j++) { a[i][j] = r.nextDouble() - 0.5; b[i][j] = a[i][j] + 0.4 * (r.nextDouble() - 0.5); }
        return GeodesicFlowKernel.of(a, b);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Rng r = new Rng(11);
        int n = 6, e = 5;
        double[][] q = kernel(e, 3, r);
        for (GeoDlLoss.Form form : GeoDlLoss.Form.values()) {
            Tensor x0 = r.normal(DType.F64, 0, 1, n, e), old = r.normal(DType.F64, 0, 1, n, e);
            Var x = Var.param(x0.copy());
            Var loss = GeoDlLoss.loss(x, old, q, form);
            loss.backward();
            double[] g = x.grad().toDoubleArray(), base = x0.toDoubleArray();
            double h = 1e-6;
            for (int i = 0; i < base.length; i++) {
                double[] p = base.clone(), m = base.clone();
                p[i] += h;
                m[i] -= h;
                double fp = GeoDlLoss.loss(Var.constant(Tensor.of(p, n, e)), old, q, form).item();
                double fm = GeoDlLoss.loss(Var.constant(Tensor.of(m, n, e)), old, q, form).item();
                assertEquals((fp - fm) / (2 * h), g[i], 1e-6, form + " d/dx[" + i + "]");
            }
        }
    }

    @Test
    void identicalFeaturesAreAMinimumOfBothForms() {
        Rng r = new Rng(3);
        Tensor z = r.normal(DType.F64, 0, 1, 12, 8);
        assertEquals(0.0, GeoDlLoss.loss(Var.param(z.copy()), z, GeoDlLoss.Form.AUTHORS, 0).item(), 1e-12, "authors: distance 0");
        assertEquals(-1.0, GeoDlLoss.loss(Var.param(z.copy()), z, GeoDlLoss.Form.PAPER, 0).item(), 1e-9, "paper: cosine 1");
        Tensor moved = z.add(r.normal(DType.F64, 0, 0.5, 12, 8));
        assertTrue(GeoDlLoss.loss(Var.param(moved), z, GeoDlLoss.Form.AUTHORS, 0).item() > 1e-4, "moved features cost something");
    }
}

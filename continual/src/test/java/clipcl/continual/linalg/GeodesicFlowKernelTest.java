package clipcl.continual.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GeodesicFlowKernelTest {

    @Test
    void matchesTheGeodesicIntegratedByQuadrature() throws Exception {
        Fixtures.each("gfk", (name, c, a) -> {
            double[][] b = Fixtures.mat(c, "b");
            double[][] g = GeodesicFlowKernel.of(a, b);
            Checks.close(Fixtures.mat(c, "kernel"), g, 1e-12, name);
            Checks.close(g, Matrices.transpose(g), 1e-14, name + " symmetric");
            double trace = 0;
            for (int i = 0; i < g.length; i++) trace += g[i][i];
            assertEquals(a[0].length, trace, 1e-12, name + " trace = d");
            for (double w : SymmetricEigen.of(g).values()) assertTrue(w > -1e-12 && w < 1 + 1e-12, name + " eigenvalue " + w + " outside [0, 1]");
            Checks.close(g, GeodesicFlowKernel.of(b, a), 1e-12, name + " the same from B to A");
        });
    }

    @Test
    void aSubspaceWithItselfGivesItsProjector() {
        double[][] a = {{1, 0}, {1, 1}, {0, 2}, {3, 1}};
        double[][] q = Qr.orthonormalBasis(a, "a");
        Checks.close(Matrices.multiply(q, Matrices.transpose(q)), GeodesicFlowKernel.of(a, a), 1e-14, "projector");
    }

    @Test
    void orthogonalLinesGiveHalfOfEach() {
        // From e1 to e2 through a quarter turn: a = c = 1/2, b = 1/pi.
        double[][] g = GeodesicFlowKernel.of(new double[][] {{1}, {0}, {0}}, new double[][] {{0}, {1}, {0}});
        Checks.close(new double[][] {{0.5, 1 / Math.PI, 0}, {1 / Math.PI, 0.5, 0}, {0, 0, 0}}, g, 1e-15, "quarter turn");
    }

    @Test
    void dimensionsMustAgree() {
        assertThrows(IllegalArgumentException.class, () -> GeodesicFlowKernel.of(new double[4][2], new double[4][1]));
    }
}

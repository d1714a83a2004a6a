package clipcl.continual.linalg;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

    @Test
    void matchesNumpyEigh() throws Exception {
        Fixtures.each("eigh", (name, c, a) -> {
            double[] w = Fixtures.vec(c, "values");
            double[][] v = Fixtures.mat(c, "vectors");
            double scale = Math.max(1, Matrices.maxAbs(a));
            double tol = 1e-12 * scale;
            SymmetricEigen e = SymmetricEigen.of(a);
            Checks.close(w, e.values(), tol, name + " values");
            Checks.orthonormalColumns(e.vectors(), 1e-12, name);
            Checks.close(a, Checks.rebuild(e.vectors(), e.values(), e.vectors()), tol, name + " V diag(w) V^T");
            // Vectors are unique (up to sign) only for a value well apart from its neighbours.
            for (int j = 0; j < w.length; j++) {
                double gap = Checks.gap(w, j);
                if (gap > 1e-6 * scale) Checks.sameColumnUpToSign(v, e.vectors(), j, 1e-9 * scale / Math.min(gap, scale) + 1e-12, name + " vectors");
            }
        });
    }

    @Test
    void refusesAnAsymmetricOrNonSquareMatrix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}, {3, 4}}));
        assertTrue(e.getMessage().contains("(1, 0)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2, 3}, {2, 4, 5}}));
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, Double.NaN}, {Double.NaN, 1}}));
    }

    @Test
    void diagonalAndZeroMatrices() {
        SymmetricEigen e = SymmetricEigen.of(new double[][] {{1, 0, 0}, {0, 3, 0}, {0, 0, 2}});
        Checks.close(new double[] {3, 2, 1}, e.values(), 0, "diagonal");
        Checks.close(new double[][] {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}}, e.vectors(), 0, "diagonal vectors");
        SymmetricEigen z = SymmetricEigen.of(new double[3][3]);
        Checks.close(new double[3], z.values(), 0, "zero");
        Checks.orthonormalColumns(z.vectors(), 0, "zero");
    }
}

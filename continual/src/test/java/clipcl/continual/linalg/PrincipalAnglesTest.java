package clipcl.continual.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PrincipalAnglesTest {

    @Test
    void matchesNumpyAndTheExactAngles() throws Exception {
        Fixtures.each("angles", (name, c, a) -> {
            double[][] b = Fixtures.mat(c, "b");
            PrincipalAngles p = PrincipalAngles.of(a, b);
            Checks.close(Fixtures.vec(c, "angles"), p.angles(), 1e-13, name);
            if (c.containsKey("exact")) Checks.close(Fixtures.vec(c, "exact"), p.angles(), 1e-13, name + " exact");
            // The principal vectors realise the angles and lie in their spaces.
            Checks.orthonormalColumns(p.vectorsA(), 1e-12, name + " vectors A");
            Checks.orthonormalColumns(p.vectorsB(), 1e-12, name + " vectors B");
            for (int i = 0; i < p.angles().length; i++) {
                double dot = 0;
                for (int r = 0; r < a.length; r++) dot += p.vectorsA()[r][i] * p.vectorsB()[r][i];
                assertEquals(Math.cos(p.angles()[i]), dot, 1e-12, name + " cos of angle " + i);
            }
            // Symmetric in its arguments.
            Checks.close(p.angles(), PrincipalAngles.angles(b, a), 1e-13, name + " swapped");
        });
    }

    @Test
    void aSpaceWithItselfHasZeroAngles() {
        double[][] a = {{1, 0}, {1, 1}, {0, 2}, {3, 1}};
        double[][] b = {{1, 1}, {2, 1}, {2, 0}, {4, 3}}; // the same span: b = a [[1, 1], [1, 0]]
        Checks.close(new double[] {0, 0}, PrincipalAngles.angles(a, b), 1e-14, "same space");
    }

    @Test
    void spacesMustShareTheirDimension() {
        assertThrows(IllegalArgumentException.class, () -> PrincipalAngles.of(new double[3][1], new double[4][1]));
    }
}

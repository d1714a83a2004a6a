package clipcl.continual.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QrTest {

    @Test
    void matchesNumpyQrWithPositiveDiagonal() throws Exception {
        Fixtures.each("qr", (name, c, a) -> {
            Qr qr = Qr.of(a);
            Checks.close(Fixtures.mat(c, "q"), qr.q(), 1e-12, name + " Q");
            Checks.close(Fixtures.mat(c, "r"), qr.r(), 1e-12, name + " R");
            Checks.close(a, Matrices.multiply(qr.q(), qr.r()), 1e-12, name + " QR");
            for (int i = 0; i < qr.r().length; i++) {
                for (int j = 0; j < i; j++) assertEquals(0.0, qr.r()[i][j], name + " R below the diagonal");
            }
        });
    }

    @Test
    void basisRefusesDependentColumns() {
        double[][] a = {{1, 2, 0}, {2, 4, 1}, {3, 6, 0}, {0, 0, 1}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Qr.orthonormalBasis(a, "test basis"));
        assertTrue(e.getMessage().contains("column 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Qr.orthonormalBasis(new double[][] {{1, 0, 0}, {0, 1, 0}}, "wide"));
    }
}

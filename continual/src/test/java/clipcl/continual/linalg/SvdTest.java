package clipcl.continual.linalg;

import org.junit.jupiter.api.Test;

class SvdTest {

    @Test
    void matchesNumpySvd() throws Exception {
        Fixtures.each("svd", (name, c, a) -> {
            double[] s = Fixtures.vec(c, "s");
            double[][] u = Fixtures.mat(c, "u");
            double[][] v = Fixtures.mat(c, "v");
            double scale = Math.max(1, s[0]);
            Svd d = Svd.of(a);
            Checks.close(s, d.s(), 1e-12 * scale, name + " singular values");
            Checks.orthonormalColumns(d.u(), 1e-12, name + " U");
            Checks.orthonormalColumns(d.v(), 1e-12, name + " V");
            Checks.close(a, Checks.rebuild(d.u(), d.s(), d.v()), 1e-12 * scale, name + " U diag(s) V^T");
            for (int j = 0; j < s.length; j++) {
                double gap = Checks.gap(s, j);
                // Vectors of zero or repeated singular values are not unique.
                if (gap > 1e-6 * scale && s[j] > 1e-9 * scale) {
                    double tol = 1e-10 * scale / Math.min(gap, scale) + 1e-12;
                    Checks.sameColumnUpToSign(u, d.u(), j, tol, name + " U");
                    Checks.sameColumnUpToSign(v, d.v(), j, tol, name + " V");
                }
            }
        });
    }

    @Test
    void zeroMatrixStillHasOrthonormalFactors() {
        Svd d = Svd.of(new double[4][3]);
        Checks.close(new double[3], d.s(), 0, "zero singular values");
        Checks.orthonormalColumns(d.u(), 1e-15, "zero U");
        Checks.orthonormalColumns(d.v(), 1e-15, "zero V");
    }
}

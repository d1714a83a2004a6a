package clipcl.continual.linalg;

/**
 * Eigendecomposition of a real symmetric matrix, {@code A = V diag(values) V^T}, in float64:
 * Householder reduction to tridiagonal form, then the implicit QL iteration with Wilkinson-type
 * shifts (the EISPACK tred2/tql2 pair). Values come sorted in descending order, the columns of
 * {@code vectors} in the same order, orthonormal. Each vector's sign is fixed so that its entry of
 * largest magnitude is positive, which makes equal inputs give equal outputs whatever the path.
 *
 * @param values  eigenvalues, descending
 * @param vectors n x n, column j is the eigenvector of values[j]
 */
public record SymmetricEigen(double[] values, double[][] vectors) {

    /** Relative asymmetry beyond which the input is refused rather than silently symmetrised. */
    private static final double SYMMETRY_TOLERANCE = 1e-10;

    public static SymmetricEigen of(double[][] a) {
        int n = Matrices.cols(a, "SymmetricEigen");
        if (n != a.length) throw new IllegalArgumentException("SymmetricEigen: matrix is " + a.length + " x " + n + ", not square");
        double scale = Matrices.maxAbs(a);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (Math.abs(a[i][j] - a[j][i]) > SYMMETRY_TOLERANCE * Math.max(scale, Double.MIN_NORMAL)) {
                    throw new IllegalArgumentException("SymmetricEigen: matrix is not symmetric at (" + i + ", " + j + "): "
                            + a[i][j] + " vs " + a[j][i]);
                }
            }
        }
        // Work on the symmetric part (the lower triangle is what the reduction reads).
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) v[i][j] = (a[i][j] + a[j][i]) / 2;
        double[] d = new double[n], e = new double[n];
        tridiagonalize(v, d, e);
        ql(v, d, e);
        return sorted(v, d);
    }

    /** Householder reduction: on return v holds the accumulated orthogonal transform, d the diagonal, e the sub-diagonal (e[0] = 0). */
    private static void tridiagonalize(double[][] v, double[] d, double[] e) {
        int n = d.length;
        for (int j = 0; j < n; j++) d[j] = v[n - 1][j];
        for (int i = n - 1; i > 0; i--) {
            double scale = 0, h = 0;
            for (int k = 0; k < i; k++) scale += Math.abs(d[k]);
            if (scale == 0) {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) {
                    d[j] = v[i - 1][j];
                    v[i][j] = 0;
                    v[j][i] = 0;
                }
            } else {
                for (int k = 0; k < i; k++) {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1];
                double g = Math.sqrt(h);
                if (f > 0) g = -g;
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) e[j] = 0;
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    v[j][i] = f;
                    g = e[j] + v[j][j] * f;
                    for (int k = j + 1; k <= i - 1; k++) {
                        g += v[k][j] * d[k];
                        e[k] += v[k][j] * f;
                    }
                    e[j] = g;
                }
                f = 0;
                for (int j = 0; j < i; j++) {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) e[j] -= hh * d[j];
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k <= i - 1; k++) v[k][j] -= f * e[k] + g * d[k];
                    d[j] = v[i - 1][j];
                    v[i][j] = 0;
                }
            }
            d[i] = h;
        }
        for (int i = 0; i < n - 1; i++) {
            v[n - 1][i] = v[i][i];
            v[i][i] = 1;
            double h = d[i + 1];
            if (h != 0) {
                for (int k = 0; k <= i; k++) d[k] = v[k][i + 1] / h;
                for (int j = 0; j <= i; j++) {
                    double g = 0;
                    for (int k = 0; k <= i; k++) g += v[k][i + 1] * v[k][j];
                    for (int k = 0; k <= i; k++) v[k][j] -= g * d[k];
                }
            }
            for (int k = 0; k <= i; k++) v[k][i + 1] = 0;
        }
        for (int j = 0; j < n; j++) {
            d[j] = v[n - 1][j];
            v[n - 1][j] = 0;
        }
        v[n - 1][n - 1] = 1;
        e[0] = 0;
    }

    /** Implicit QL on the tridiagonal (d, e), rotating the columns of v along. */
    private static void ql(double[][] v, double[] d, double[] e) {
        int n = d.length;
        for (int i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0;
        double f = 0, tst1 = 0;
        double eps = Math.ulp(1.0);
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n && Math.abs(e[m]) > eps * tst1) m++;
            if (m > l) {
                int iter = 0;
                do {
                    if (++iter > 100) throw new ArithmeticException("SymmetricEigen: QL did not converge for eigenvalue " + l);
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = Math.hypot(p, 1);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    f += h;
                    p = d[m];
                    double c = 1, c2 = 1, c3 = 1, el1 = e[l + 1], s = 0, s2 = 0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Math.hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        for (int k = 0; k < n; k++) {
                            h = v[k][i + 1];
                            v[k][i + 1] = s * v[k][i] + c * h;
                            v[k][i] = c * v[k][i] - s * h;
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
    }

    private static SymmetricEigen sorted(double[][] v, double[] d) {
        int n = d.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(d[y], d[x]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int j = 0; j < n; j++) {
            int src = order[j];
            values[j] = d[src];
            int big = 0;
            for (int k = 1; k < n; k++) if (Math.abs(v[k][src]) > Math.abs(v[big][src])) big = k;
            double sign = v[big][src] < 0 ? -1 : 1;
            for (int k = 0; k < n; k++) vectors[k][j] = sign * v[k][src];
        }
        return new SymmetricEigen(values, vectors);
    }
}

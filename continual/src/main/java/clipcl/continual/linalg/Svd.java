package clipcl.continual.linalg;

import java.util.Arrays;

/**
 * Thin singular value decomposition {@code A = U diag(s) V^T} of an m x n float64 matrix, k = min(m, n):
 * U is m x k and V is n x k with orthonormal columns, s descending and non-negative.
 *
 * <p>One-sided Jacobi (Hestenes): plane rotations orthogonalise the columns of A (of A^T when m < n)
 * until every pair is orthogonal to working precision; the column norms are then the singular values.
 * It is slower than bidiagonalisation but simple and accurate in the small singular values too.
 * Columns of U for zero singular values are completed to an orthonormal set. Each pair of singular
 * vectors is signed so that the entry of largest magnitude in V's column is positive.
 *
 * @param u m x k
 * @param s k singular values, descending
 * @param v n x k
 */
public record Svd(double[][] u, double[] s, double[][] v) {

    private static final int MAX_SWEEPS = 80;

    public static Svd of(double[][] a) {
        int n = Matrices.cols(a, "Svd");
        int m = a.length;
        if (m < n) {
            Svd t = tall(Matrices.transpose(a));
            return signed(t.v, t.s, t.u);
        }
        Svd t = tall(a);
        return signed(t.u, t.s, t.v);
    }

    /** Singular values only, descending. */
    public static double[] values(double[][] a) {
        return of(a).s();
    }

    /** m >= n. Works on columns (col[j] is column j of A) so that rotations touch contiguous arrays. */
    private static Svd tall(double[][] a) {
        int m = a.length, n = a[0].length;
        double[][] col = new double[n][m];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) col[j][i] = a[i][j];
        double[][] vc = new double[n][n];
        for (int j = 0; j < n; j++) vc[j][j] = 1;
        double eps = Math.ulp(1.0);
        boolean rotated = true;
        for (int sweep = 0; rotated; sweep++) {
            if (sweep == MAX_SWEEPS) throw new ArithmeticException("Svd: one-sided Jacobi did not converge in " + MAX_SWEEPS + " sweeps");
            rotated = false;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double alpha = 0, beta = 0, gamma = 0;
                    double[] cp = col[p], cq = col[q];
                    for (int i = 0; i < m; i++) {
                        alpha += cp[i] * cp[i];
                        beta += cq[i] * cq[i];
                        gamma += cp[i] * cq[i];
                    }
                    if (gamma == 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
                    rotated = true;
                    // The rotation that zeroes the (p, q) entry of the 2x2 Gram matrix [[alpha, gamma], [gamma, beta]].
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.hypot(1, zeta));
                    if (zeta == 0) t = 1;
                    double c = 1 / Math.hypot(1, t), s = c * t;
                    rotate(cp, cq, c, s);
                    rotate(vc[p], vc[q], c, s);
                }
            }
        }
        double[] sv = new double[n];
        for (int j = 0; j < n; j++) {
            double norm = 0;
            for (double x : col[j]) norm += x * x;
            sv[j] = Math.sqrt(norm);
        }
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) order[j] = j;
        Arrays.sort(order, (x, y) -> Double.compare(sv[y], sv[x]));
        double[] s = new double[n];
        double[][] uCols = new double[n][];
        double[][] v = new double[n][n];
        double tiny = (sv.length == 0 ? 0 : sv[order[0]]) * m * eps;
        boolean[] missing = new boolean[n];
        for (int j = 0; j < n; j++) {
            int src = order[j];
            s[j] = sv[src];
            for (int k = 0; k < n; k++) v[k][j] = vc[src][k];
            uCols[j] = col[src].clone();
            if (s[j] > tiny && s[j] > 0) {
                for (int i = 0; i < m; i++) uCols[j][i] /= s[j];
            } else {
                missing[j] = true;
            }
        }
        complete(uCols, missing, m);
        double[][] u = new double[m][n];
        for (int j = 0; j < n; j++) for (int i = 0; i < m; i++) u[i][j] = uCols[j][i];
        return new Svd(u, s, v);
    }

    private static void rotate(double[] x, double[] y, double c, double s) {
        for (int i = 0; i < x.length; i++) {
            double xi = x[i], yi = y[i];
            x[i] = c * xi - s * yi;
            y[i] = s * xi + c * yi;
        }
    }

    /** Fills the columns for (numerically) zero singular values with unit vectors orthogonal to all others (Gram-Schmidt on e_1, e_2, ...). */
    private static void complete(double[][] cols, boolean[] missing, int m) {
        int next = 0;
        for (int j = 0; j < cols.length; j++) {
            if (!missing[j]) continue;
            while (true) {
                if (next >= m) throw new ArithmeticException("Svd: cannot complete the left singular vectors");
                double[] x = new double[m];
                x[next++] = 1;
                for (int twice = 0; twice < 2; twice++) {
                    for (int k = 0; k < cols.length; k++) {
                        if (k == j || (missing[k] && k > j)) continue;
                        double dot = 0;
                        for (int i = 0; i < m; i++) dot += cols[k][i] * x[i];
                        for (int i = 0; i < m; i++) x[i] -= dot * cols[k][i];
                    }
                }
                double norm = 0;
                for (double xi : x) norm += xi * xi;
                norm = Math.sqrt(norm);
                if (norm > 0.5) {
                    for (int i = 0; i < m; i++) x[i] /= norm;
                    cols[j] = x;
                    break;
                }
            }
        }
    }

    private static Svd signed(double[][] u, double[] s, double[][] v) {
        int k = s.length;
        for (int j = 0; j < k; j++) {
            int big = 0;
            for (int i = 1; i < v.length; i++) if (Math.abs(v[i][j]) > Math.abs(v[big][j])) big = i;
            if (v[big][j] < 0) {
                for (double[] row : v) row[j] = -row[j];
                for (double[] row : u) row[j] = -row[j];
            }
        }
        return new Svd(u, s, v);
    }
}

package clipcl.continual.linalg;

/**
 * Thin QR decomposition {@code A = Q R} of an m x n float64 matrix by Householder reflections,
 * k = min(m, n): Q is m x k with orthonormal columns, R is k x n upper triangular with a non-negative
 * diagonal (which makes the factors unique for a matrix of full column rank).
 *
 * @param q m x k
 * @param r k x n
 */
public record Qr(double[][] q, double[][] r) {

    public static Qr of(double[][] a) {
        int n = Matrices.cols(a, "Qr");
        int m = a.length, k = Math.min(m, n);
        double[][] w = Matrices.copy(a);
        double[][] refl = new double[k][];
        for (int j = 0; j < k; j++) {
            double norm = 0;
            for (int i = j; i < m; i++) norm += w[i][j] * w[i][j];
            norm = Math.sqrt(norm);
            double[] v = new double[m - j];
            if (norm == 0) { refl[j] = v; continue; }
            // Reflect onto -sign(x0) ||x|| e1 so that x - alpha e1 does not cancel.
            double alpha = w[j][j] > 0 ? -norm : norm;
            for (int i = j; i < m; i++) v[i - j] = w[i][j];
            v[0] -= alpha;
            double vn = 0;
            for (double x : v) vn += x * x;
            vn = Math.sqrt(vn);
            for (int i = 0; i < v.length; i++) v[i] /= vn;
            refl[j] = v;
            apply(v, w, j, j, n);
        }
        double[][] r = new double[k][n];
        for (int i = 0; i < k; i++) for (int j = i; j < n; j++) r[i][j] = w[i][j];
        // Q = H_0 H_1 ... H_{k-1} applied to the first k columns of the identity, last reflector first.
        double[][] q = new double[m][k];
        for (int i = 0; i < k; i++) q[i][i] = 1;
        for (int j = k - 1; j >= 0; j--) apply(refl[j], q, j, 0, k);
        for (int i = 0; i < k; i++) {
            if (r[i][i] < 0) {
                for (int j = i; j < n; j++) r[i][j] = -r[i][j];
                for (int row = 0; row < m; row++) q[row][i] = -q[row][i];
            }
        }
        return new Qr(q, r);
    }

    /** Rows from..m-1 of columns c0..c1-1 of w get (I - 2 v v^T) applied. */
    private static void apply(double[] v, double[][] w, int from, int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            double dot = 0;
            for (int i = 0; i < v.length; i++) dot += v[i] * w[from + i][c];
            if (dot == 0) continue;
            dot *= 2;
            for (int i = 0; i < v.length; i++) w[from + i][c] -= dot * v[i];
        }
    }

    /**
     * An orthonormal basis of A's column space (n x p with p columns): Q of the thin QR. Refuses a
     * matrix whose columns are (numerically) dependent, naming the column, because a basis of the
     * wrong dimension would silently change every angle computed from it.
     */
    public static double[][] orthonormalBasis(double[][] a, String what) {
        int p = Matrices.cols(a, what);
        if (a.length < p) throw new IllegalArgumentException(what + ": " + p + " columns in dimension " + a.length + " cannot be independent");
        Qr qr = of(a);
        double big = 0;
        for (int i = 0; i < p; i++) big = Math.max(big, Math.abs(qr.r[i][i]));
        for (int i = 0; i < p; i++) {
            if (Math.abs(qr.r[i][i]) <= big * 1e-12 * Math.max(a.length, p)) {
                throw new IllegalArgumentException(what + ": column " + i + " depends on the columns before it (rank below " + p + ")");
            }
        }
        return qr.q;
    }
}

package clipcl.continual.linalg;

/**
 * Plain float64 matrices as {@code double[rows][cols]}: the small helpers the decompositions share.
 * Nothing here is fast; these serve analyses on matrices of a few hundred rows at most.
 */
public final class Matrices {
    private Matrices() { }

    /** Checks that a is a non-empty rectangle of finite numbers and returns its column count. */
    public static int cols(double[][] a, String what) {
        if (a == null || a.length == 0 || a[0].length == 0) throw new IllegalArgumentException(what + ": empty matrix");
        int c = a[0].length;
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != c) throw new IllegalArgumentException(what + ": row " + i + " has " + a[i].length + " columns, row 0 has " + c);
            for (int j = 0; j < c; j++) {
                if (!Double.isFinite(a[i][j])) throw new IllegalArgumentException(what + ": entry (" + i + ", " + j + ") is " + a[i][j]);
            }
        }
        return c;
    }

    public static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }

    public static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) m[i][i] = 1;
        return m;
    }

    public static double[][] transpose(double[][] a) {
        int r = a.length, c = a[0].length;
        double[][] t = new double[c][r];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) t[j][i] = a[i][j];
        return t;
    }

    /** a (r x k) times b (k x c). */
    public static double[][] multiply(double[][] a, double[][] b) {
        int r = a.length, k = b.length, c = b[0].length;
        if (a[0].length != k) throw new IllegalArgumentException("multiply: " + r + " x " + a[0].length + " times " + k + " x " + c);
        double[][] out = new double[r][c];
        for (int i = 0; i < r; i++) {
            double[] oi = out[i];
            for (int p = 0; p < k; p++) {
                double aip = a[i][p];
                if (aip == 0) continue;
                double[] bp = b[p];
                for (int j = 0; j < c; j++) oi[j] += aip * bp[j];
            }
        }
        return out;
    }

    /** a^T b without forming the transpose: (a's cols) x (b's cols). */
    public static double[][] transposeTimes(double[][] a, double[][] b) {
        int n = a.length, p = a[0].length, q = b[0].length;
        if (b.length != n) throw new IllegalArgumentException("transposeTimes: " + n + " x " + p + " and " + b.length + " x " + q);
        double[][] out = new double[p][q];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < p; i++) {
                double ari = a[r][i];
                if (ari == 0) continue;
                for (int j = 0; j < q; j++) out[i][j] += ari * b[r][j];
            }
        }
        return out;
    }

    /** The largest absolute entry (a scale for tolerances). */
    public static double maxAbs(double[][] a) {
        double m = 0;
        for (double[] row : a) for (double v : row) m = Math.max(m, Math.abs(v));
        return m;
    }
}

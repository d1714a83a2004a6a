package clipcl.continual.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Assertions on float64 matrices shared by the decomposition tests. */
final class Checks {
    private Checks() { }

    static void close(double[][] expected, double[][] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": rows");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length, what + ": columns of row " + i);
            for (int j = 0; j < expected[i].length; j++) {
                if (Math.abs(expected[i][j] - actual[i][j]) > tol) {
                    fail(what + ": entry (" + i + ", " + j + ") expected " + expected[i][j] + " got " + actual[i][j] + " (tolerance " + tol + ")");
                }
            }
        }
    }

    static void close(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > tol) fail(what + ": entry " + i + " expected " + expected[i] + " got " + actual[i] + " (tolerance " + tol + ")");
        }
    }

    /** Columns j of a and b equal up to one sign per column. */
    static void sameColumnUpToSign(double[][] expected, double[][] actual, int j, double tol, String what) {
        double dot = 0;
        for (int i = 0; i < expected.length; i++) dot += expected[i][j] * actual[i][j];
        double sign = dot < 0 ? -1 : 1;
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i][j] - sign * actual[i][j]) > tol) {
                fail(what + ": column " + j + " row " + i + " expected +-" + expected[i][j] + " got " + actual[i][j]);
            }
        }
    }

    /** The distance from values[j] to its nearest neighbour in a sorted list (vectors are unique only where it is not small). */
    static double gap(double[] values, int j) {
        double gap = Double.POSITIVE_INFINITY;
        if (j > 0) gap = Math.min(gap, Math.abs(values[j - 1] - values[j]));
        if (j < values.length - 1) gap = Math.min(gap, Math.abs(values[j] - values[j + 1]));
        return gap;
    }

    /** Q^T Q = I for the columns of q. */
    static void orthonormalColumns(double[][] q, double tol, String what) {
        int k = q[0].length;
        close(Matrices.identity(k), Matrices.transposeTimes(q, q), tol, what + ": Q^T Q");
    }

    /** u diag(s) v^T. */
    static double[][] rebuild(double[][] u, double[] s, double[][] v) {
        double[][] us = Matrices.copy(u);
        for (double[] row : us) for (int j = 0; j < s.length; j++) row[j] *= s[j];
        return Matrices.multiply(us, Matrices.transpose(v));
    }
}

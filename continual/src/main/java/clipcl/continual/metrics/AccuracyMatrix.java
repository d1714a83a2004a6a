package clipcl.continual.metrics;

import java.util.Arrays;

/**
 * Accuracy of every task after every session: {@code A[s][t]} = accuracy (a fraction in [0, 1]) on
 * task t's test data after training session s (both 0-based). Entries not evaluated yet are NaN, so a
 * run in progress and a finished run share one type. Rows above the diagonal (tasks not trained yet)
 * hold zero-shot accuracy where the engine evaluates them; MTIL's Transfer reads exactly those.
 */
public final class AccuracyMatrix {
    private final double[][] a;

    public AccuracyMatrix(int sessions, int tasks) {
        if (sessions < 1 || tasks < 1) {
            throw new IllegalArgumentException("AccuracyMatrix: need at least one session and one task, got " + sessions + " x " + tasks);
        }
        a = new double[sessions][tasks];
        for (double[] row : a) Arrays.fill(row, Double.NaN);
    }

    /** A matrix holding a copy of the given rows (NaN for not evaluated); all rows must have one length. */
    public static AccuracyMatrix of(double[][] rows) {
        if (rows.length == 0) throw new IllegalArgumentException("AccuracyMatrix: no rows");
        AccuracyMatrix m = new AccuracyMatrix(rows.length, rows[0].length);
        for (int s = 0; s < rows.length; s++) {
            if (rows[s].length != rows[0].length) {
                throw new IllegalArgumentException("AccuracyMatrix: row " + s + " has " + rows[s].length + " entries, row 0 has " + rows[0].length);
            }
            for (int t = 0; t < rows[s].length; t++) if (!Double.isNaN(rows[s][t])) m.set(s, t, rows[s][t]);
        }
        return m;
    }

    public int sessions() { return a.length; }

    public int tasks() { return a[0].length; }

    public void set(int afterSession, int task, double acc) {
        check(afterSession, task);
        if (!(acc >= 0 && acc <= 1)) {
            throw new IllegalArgumentException("AccuracyMatrix: accuracy after session " + afterSession + " on task " + task
                    + " must be a fraction in [0, 1], got " + acc);
        }
        a[afterSession][task] = acc;
    }

    /** The accuracy, or NaN when that entry was not evaluated. */
    public double get(int afterSession, int task) {
        check(afterSession, task);
        return a[afterSession][task];
    }

    public boolean isSet(int afterSession, int task) { return !Double.isNaN(get(afterSession, task)); }

    /** A copy of the rows. */
    public double[][] rows() {
        double[][] c = new double[a.length][];
        for (int s = 0; s < a.length; s++) c[s] = a[s].clone();
        return c;
    }

    /** The number of leading rows that hold at least one evaluated entry (sessions finished so far). */
    public int sessionsEvaluated() {
        int n = 0;
        for (int s = 0; s < a.length; s++) {
            for (double v : a[s]) if (!Double.isNaN(v)) { n = s + 1; break; }
        }
        return n;
    }

    private void check(int s, int t) {
        if (s < 0 || s >= a.length || t < 0 || t >= a[0].length) {
            throw new IndexOutOfBoundsException("AccuracyMatrix: entry (" + s + ", " + t + ") outside " + a.length + " sessions x " + a[0].length + " tasks");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccuracyMatrix m && Arrays.deepEquals(a, m.a);
    }

    @Override
    public int hashCode() { return Arrays.deepHashCode(a); }

    @Override
    public String toString() { return "AccuracyMatrix" + Arrays.deepToString(a); }
}

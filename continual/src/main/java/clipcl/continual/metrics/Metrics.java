package clipcl.continual.metrics;

/**
 * The papers' summary numbers, computed from accuracies (fractions in [0, 1]) and the accuracy matrix.
 * Every formula reads only the entries it needs and fails, naming the entry, when one of them was not
 * evaluated.
 *
 * <p>Which is which: paper A (CL-CLIP) defines UT-Acc, ZS-Acc, A-Acc and Bwt; forgetting is
 * Chaudhry et al.'s average forgetting; Transfer, Avg and Last are ZSCL's MTIL metrics.
 */
public final class Metrics {
    private Metrics() { }

    /** Top-1 accuracy: correct / total; ZS-Acc and OST's UT-Acc are this on their test sets. */
    public static double accuracy(long correct, long total) {
        if (total <= 0) throw new IllegalArgumentException("accuracy: no test items");
        if (correct < 0 || correct > total) throw new IllegalArgumentException("accuracy: " + correct + " correct out of " + total);
        return (double) correct / total;
    }

    /** A-Acc = (UT-Acc + ZS-Acc) / 2 (paper A: one number for the trade-off between learning and keeping). */
    public static double aAcc(double utAcc, double zsAcc) {
        return (utAcc + zsAcc) / 2;
    }

    /**
     * MST's UT-Acc (paper A): after session {@code afterSession}, the mean over the sessions trained so
     * far (0..afterSession) of the accuracy on each session's classes, i.e. the mean of that row's
     * first afterSession + 1 entries.
     */
    public static double utAccSessions(AccuracyMatrix m, int afterSession) {
        double sum = 0;
        for (int i = 0; i <= afterSession; i++) sum += need(m, afterSession, i);
        return sum / (afterSession + 1);
    }

    /** {@link #utAccSessions} after the last session. */
    public static double utAccSessions(AccuracyMatrix m) {
        return utAccSessions(m, m.sessions() - 1);
    }

    /**
     * Bwt as paper A prints it (after Lopez-Paz and Ranzato): with S sessions,
     * {@code Bwt = 1/(S-1) * sum_{i=1}^{S-1} (A[S,i] - A[i,i])} (1-based), the mean change of each earlier
     * session's accuracy from just after it was trained to after the last session. This is the Bwt the
     * reports print. Needs at least two sessions and a matrix with at least as many tasks as sessions.
     */
    public static double bwt(AccuracyMatrix m) {
        return bwtSum(m) / (m.sessions() - 1);
    }

    /**
     * Bwt as the CL-CLIP authors' code computes it: the same sum divided by t + 1, where t is the
     * 0-based index of the last session, i.e. by the number of sessions S instead of S - 1. Its
     * magnitude is (S-1)/S of {@link #bwt}; offered so the authors' numbers can be compared.
     */
    public static double bwtAuthorsCode(AccuracyMatrix m) {
        return bwtSum(m) / m.sessions();
    }

    private static double bwtSum(AccuracyMatrix m) {
        int s = m.sessions();
        if (s < 2) throw new IllegalArgumentException("Bwt: needs at least two sessions, the matrix has " + s);
        if (m.tasks() < s) throw new IllegalArgumentException("Bwt: needs one task per session, the matrix has " + s + " sessions and " + m.tasks() + " tasks");
        double sum = 0;
        for (int i = 0; i < s - 1; i++) sum += need(m, s - 1, i) - need(m, i, i);
        return sum;
    }

    /**
     * Average forgetting (Chaudhry et al. 2018) after the last session S-1: for each earlier task i, the
     * best accuracy it had after any session from i (when it was trained) to S-2, minus its final
     * accuracy; averaged over i = 0..S-2. Rows before task i was trained are left out: there it was only
     * zero-shot, which is not something the model learned and then lost. Negative when the last
     * sessions improved old tasks.
     */
    public static double forgetting(AccuracyMatrix m) {
        int s = m.sessions();
        if (s < 2) throw new IllegalArgumentException("forgetting: needs at least two sessions, the matrix has " + s);
        if (m.tasks() < s) throw new IllegalArgumentException("forgetting: needs one task per session, the matrix has " + s + " sessions and " + m.tasks() + " tasks");
        double sum = 0;
        for (int i = 0; i < s - 1; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int l = i; l < s - 1; l++) best = Math.max(best, need(m, l, i));
            sum += best - need(m, s - 1, i);
        }
        return sum / (s - 1);
    }

    /**
     * MTIL Transfer (ZSCL): for each task d >= 1, the mean of A[t][d] over the sessions t < d (before d
     * is trained: zero-shot on what is not learned yet), then the mean over those tasks. Needs a square
     * matrix (task d is trained in session d) with at least two sessions.
     */
    public static double mtilTransfer(AccuracyMatrix m) {
        square(m, "Transfer");
        int n = m.tasks();
        if (n < 2) throw new IllegalArgumentException("Transfer: needs at least two tasks");
        double sum = 0;
        for (int d = 1; d < n; d++) {
            double col = 0;
            for (int t = 0; t < d; t++) col += need(m, t, d);
            sum += col / d;
        }
        return sum / (n - 1);
    }

    /** MTIL Avg (ZSCL): the mean of every column over all sessions, then over the tasks. */
    public static double mtilAvg(AccuracyMatrix m) {
        square(m, "Avg");
        double sum = 0;
        for (int d = 0; d < m.tasks(); d++) {
            double col = 0;
            for (int t = 0; t < m.sessions(); t++) col += need(m, t, d);
            sum += col / m.sessions();
        }
        return sum / m.tasks();
    }

    /** MTIL Last (ZSCL): the mean of the final row. */
    public static double mtilLast(AccuracyMatrix m) {
        int last = m.sessions() - 1;
        double sum = 0;
        for (int d = 0; d < m.tasks(); d++) sum += need(m, last, d);
        return sum / m.tasks();
    }

    private static void square(AccuracyMatrix m, String what) {
        if (m.sessions() != m.tasks()) {
            throw new IllegalArgumentException(what + ": needs one session per task, the matrix has " + m.sessions() + " sessions and " + m.tasks() + " tasks");
        }
    }

    private static double need(AccuracyMatrix m, int s, int t) {
        double v = m.get(s, t);
        if (Double.isNaN(v)) throw new IllegalStateException("accuracy after session " + s + " on task " + t + " was not evaluated");
        return v;
    }
}

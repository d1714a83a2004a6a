package clipcl.continual.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every formula against values worked out by hand from one small matrix. */
class MetricsTest {
    private static final double EPS = 1e-12;

    // Rows: after session 0, 1, 2. Columns: task 0, 1, 2. Above the diagonal: zero-shot before training.
    // Task 0 improves after session 1 (0.85 > 0.80), so forgetting (best earlier) differs from -Bwt (just after).
    private static AccuracyMatrix m() {
        return AccuracyMatrix.of(new double[][] {
                {0.80, 0.10, 0.20},
                {0.85, 0.90, 0.30},
                {0.50, 0.70, 0.95}});
    }

    @Test
    void bwtPaperDividesByTheEarlierSessions() {
        // (0.50 - 0.80) + (0.70 - 0.90) = -0.5 over S - 1 = 2 sessions.
        assertEquals(-0.25, Metrics.bwt(m()), EPS);
    }

    @Test
    void bwtOfTheAuthorsCodeDividesByAllSessions() {
        assertEquals(-0.5 / 3, Metrics.bwtAuthorsCode(m()), EPS);
    }

    @Test
    void forgettingTakesTheBestAccuracySinceTheTaskWasTrained() {
        // task 0: max(0.80, 0.85) - 0.50 = 0.35; task 1: 0.90 - 0.70 = 0.20; mean 0.275.
        assertEquals(0.275, Metrics.forgetting(m()), EPS);
    }

    @Test
    void forgettingIgnoresZeroShotRowsBeforeTheTaskWasTrained() {
        // Task 1 was 0.99 zero-shot before training (row 0), 0.6 after; that drop is not forgetting.
        AccuracyMatrix a = AccuracyMatrix.of(new double[][] {{0.9, 0.99, 0.2}, {0.8, 0.6, 0.3}, {0.7, 0.5, 0.9}});
        // task 0: 0.9 - 0.7 = 0.2; task 1: 0.6 - 0.5 = 0.1.
        assertEquals(0.15, Metrics.forgetting(a), EPS);
    }

    @Test
    void mtilTransferAvgLast() {
        // Transfer: task 1 -> A[0][1] = 0.10; task 2 -> (0.20 + 0.30) / 2 = 0.25; mean 0.175.
        assertEquals(0.175, Metrics.mtilTransfer(m()), EPS);
        // Avg: column means 2.15/3, 1.70/3, 1.45/3; their mean 5.3/9.
        assertEquals(5.3 / 9, Metrics.mtilAvg(m()), EPS);
        // Last: (0.50 + 0.70 + 0.95) / 3.
        assertEquals(2.15 / 3, Metrics.mtilLast(m()), EPS);
    }

    @Test
    void utAccOfSessionsIsTheMeanOverTrainedSessions() {
        assertEquals((0.85 + 0.90) / 2, Metrics.utAccSessions(m(), 1), EPS);
        assertEquals(2.15 / 3, Metrics.utAccSessions(m()), EPS);
        assertEquals(0.80, Metrics.utAccSessions(m(), 0), EPS);
    }

    @Test
    void aAccAndAccuracy() {
        assertEquals(0.6, Metrics.aAcc(0.9, 0.3), EPS);
        assertEquals(0.25, Metrics.accuracy(25, 100), EPS);
        assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(5, 4));
    }

    @Test
    void aMissingEntryIsNamed() {
        AccuracyMatrix a = new AccuracyMatrix(2, 2);
        a.set(0, 0, 0.5);
        a.set(1, 1, 0.5);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Metrics.bwt(a));
        assertTrue(e.getMessage().contains("session 1 on task 0"), e.getMessage());
    }

    @Test
    void sessionMetricsNeedTwoSessionsAndEnoughTasks() {
        assertThrows(IllegalArgumentException.class, () -> Metrics.bwt(AccuracyMatrix.of(new double[][] {{0.5, 0.4}})));
        assertThrows(IllegalArgumentException.class, () -> Metrics.forgetting(AccuracyMatrix.of(new double[][] {{0.5}, {0.4}})));
        assertThrows(IllegalArgumentException.class, () -> Metrics.mtilTransfer(AccuracyMatrix.of(new double[][] {{0.5, 0.4, 0.3}, {0.5, 0.4, 0.3}})));
    }

    @Test
    void matrixRejectsValuesThatAreNotFractions() {
        AccuracyMatrix a = new AccuracyMatrix(2, 3);
        assertThrows(IllegalArgumentException.class, () -> a.set(0, 0, 87.5));
        assertThrows(IndexOutOfBoundsException.class, () -> a.set(2, 0, 0.5));
        assertTrue(Double.isNaN(a.get(1, 2)));
        assertEquals(0, a.sessionsEvaluated());
        a.set(1, 2, 0.25);
        assertEquals(2, a.sessionsEvaluated());
        double[][] rows = a.rows();
        rows[1][2] = 0.75;
        assertEquals(0.25, a.get(1, 2), "rows() is a copy");
    }
}

package clipcl.continual.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParetoTest {
    @Test
    void theFrontHoldsTheUndominatedPointsSortedByX() {
        // 0 (0.8, 0.1) keeps everything, 1 (0.6, 0.6) balanced, 2 (0.5, 0.7) learns most, 3 (0.55, 0.5) dominated by 1,
        // 4 (0.6, 0.4) dominated by 1 (equal x, lower y), 5 NaN never on the front
        double[] x = {0.8, 0.6, 0.5, 0.55, 0.6, Double.NaN};
        double[] y = {0.1, 0.6, 0.7, 0.5, 0.4, 0.9};
        assertEquals(List.of(2, 1, 0), Pareto.front(x, y));
    }

    @Test
    void equalPointsAreBothOnTheFrontAndOnePointIsItsOwnFront() {
        assertEquals(List.of(0, 1), Pareto.front(new double[] {0.5, 0.5, 0.4}, new double[] {0.5, 0.5, 0.3}));
        assertEquals(List.of(0), Pareto.front(new double[] {0.2}, new double[] {0.3}));
        assertEquals(List.of(), Pareto.front(new double[0], new double[0]));
    }

    @Test
    void mismatchedLengthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Pareto.front(new double[2], new double[3]));
    }
}

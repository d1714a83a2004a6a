package clipcl.continual.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SpatialDisorderTest {
    private static final double EPS = 1e-12;

    /** A 2-D vector at the given angle (degrees) and length. */
    private static double[] at(double deg, double len) {
        return new double[] {len * Math.cos(Math.toRadians(deg)), len * Math.sin(Math.toRadians(deg))};
    }

    @Test
    void anglesInDegreesWhateverTheLength() {
        assertEquals(90, SpatialDisorder.angleDegrees(new double[] {1, 0}, new double[] {0, 3}), EPS);
        assertEquals(45, SpatialDisorder.angleDegrees(new double[] {2, 0}, new double[] {1, 1}), EPS);
        assertEquals(180, SpatialDisorder.angleDegrees(new double[] {1, 0}, new double[] {-1, 0}), EPS);
        // acos(cos(1e-7 deg)) would give 0 (or 1.2e-6); Kahan's form keeps it.
        assertEquals(1e-7, SpatialDisorder.angleDegrees(at(0, 1), at(1e-7, 5)), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> SpatialDisorder.angleDegrees(new double[] {0, 0}, new double[] {1, 0}));
    }

    @Test
    void histogramBinsAreClosedOnTheRight() {
        double[] f = SpatialDisorder.histogram(new double[] {0, 5, 5.0001, 20, 20.5, 180}, SpatialDisorder.SAM_BINS);
        assertArrayEquals(new double[] {2 / 6.0, 1 / 6.0, 0, 1 / 6.0, 2 / 6.0}, f, EPS);
        assertThrows(IllegalArgumentException.class, () -> SpatialDisorder.histogram(new double[] {-1}, SpatialDisorder.SAM_BINS));
        assertThrows(IllegalArgumentException.class, () -> SpatialDisorder.histogram(new double[] {Double.NaN}, SpatialDisorder.SAM_BINS));
    }

    @Test
    void rotationOfEachSample() {
        double[][] before = {at(0, 1), at(50, 2), at(100, 1)};
        double[][] after = {at(0, 3), at(67, 1), at(140, 1)}; // rotations 0, 17, 40 degrees
        assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 0, 0, 1 / 3.0}, SpatialDisorder.rotation(before, after, SpatialDisorder.RAM_BINS), EPS);
    }

    @Test
    void samChangeOverPairs() {
        // Pair angles before: 30, 90, 60; after: 37, 90, 53 -> changes 7, 0, 7.
        double[][] before = {at(0, 1), at(30, 2), at(90, 1)};
        double[][] after = {at(10, 1), at(47, 1), at(100, 4)};
        assertArrayEquals(new double[] {1 / 3.0, 2 / 3.0, 0, 0, 0}, SpatialDisorder.samChange(before, after, SpatialDisorder.SAM_BINS), EPS);
        assertThrows(IllegalArgumentException.class, () -> SpatialDisorder.samChange(new double[][] {{1, 0}}, new double[][] {{1, 0}}, SpatialDisorder.SAM_BINS));
    }

    @Test
    void interModalChangeOnlyForSamplesRetrievedBefore() {
        double[][] imgBefore = {at(0, 1), at(0, 1), at(0, 1)};
        double[][] txtBefore = {at(10, 1), at(20, 1), at(30, 1)};
        double[][] imgAfter = {at(0, 1), at(0, 1), at(0, 1)};
        double[][] txtAfter = {at(12, 1), at(45, 1), at(90, 1)}; // changes 2, 25, 60
        boolean[] correct = {true, true, false};
        assertArrayEquals(new double[] {0.5, 0, 0, 0, 0.5},
                SpatialDisorder.interModalChange(imgBefore, txtBefore, imgAfter, txtAfter, correct, SpatialDisorder.IMAV_BINS), EPS);
        assertThrows(IllegalArgumentException.class,
                () -> SpatialDisorder.interModalChange(imgBefore, txtBefore, imgAfter, txtAfter, new boolean[3], SpatialDisorder.IMAV_BINS));
    }
}

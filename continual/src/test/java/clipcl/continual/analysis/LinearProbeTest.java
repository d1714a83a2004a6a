package clipcl.continual.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The linear probe's gradient by finite differences, convergence to the optimum, and accuracy on easy data. */
class LinearProbeTest {
    static double[][] points(int n, int d, int[] y, int classes, double sep, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
            for (int k = 0; k < d; k++) x[i][k] = r.nextGaussian() * 0.5 + (k == y[i] ? sep : 0);
        }
        return x;
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        int[] y = new int[12];
        double[][] x = points(12, 4, y, 3, 1, 1);
        Random r = new Random(2);
        double[][] w = new double[3][5];
        for (double[] row : w) for (int j = 0; j < row.length; j++) row[j] = r.nextGaussian();
        double[][] g = LinearProbe.gradient(x, y, 3, 0.1, w);
        double h = 1e-6;
        for (int k = 0; k < 3; k++) {
            for (int j = 0; j < 5; j++) {
                double keep = w[k][j];
                w[k][j] = keep + h;
                double lp = LinearProbe.loss(x, y, 3, 0.1, w);
                w[k][j] = keep - h;
                double lm = LinearProbe.loss(x, y, 3, 0.1, w);
                w[k][j] = keep;
                assertEquals((lp - lm) / (2 * h), g[k][j], 1e-7, "[" + k + "," + j + "]");
            }
        }
    }

    @Test
    void solvesToTheOptimumAndSeparatesEasyClasses() {
        int[] y = new int[300];
        double[][] x = points(300, 6, y, 3, 3, 3);
        LinearProbe.Fit f = LinearProbe.fit(x, y, 3, 1e-3, 1e-6, 20000);
        assertTrue(f.gradNorm() < 1e-6, "not converged: |g| = " + f.gradNorm() + " after " + f.iterations());
        // at the optimum, no small move lowers the objective
        double best = LinearProbe.loss(x, y, 3, 1e-3, f.w());
        f.w()[1][2] += 1e-3;
        assertTrue(LinearProbe.loss(x, y, 3, 1e-3, f.w()) > best);
        f.w()[1][2] -= 1e-3;
        int[] yt = new int[150];
        double[][] xt = points(150, 6, yt, 3, 3, 4);
        assertTrue(LinearProbe.accuracy(f, xt, yt) > 0.95);
        int[] yv = new int[90];
        double[][] xv = points(90, 6, yv, 3, 3, 5);
        LinearProbe.Result r = LinearProbe.evaluate(x, y, xv, yv, xt, yt, 3);
        assertTrue(r.accuracy() > 0.95, "" + r);
        // labels unrelated to the features: chance level
        int[] shuffled = yt.clone();
        for (int i = 0; i < shuffled.length; i++) shuffled[i] = (i / 3) % 3;
        assertTrue(LinearProbe.accuracy(f, xt, shuffled) < 0.6);
    }
}

package clipcl.continual.analysis;

/**
 * Multinomial logistic regression on frozen features (the linear-probe protocol of CLIP and paper B):
 * minimises mean cross-entropy + lambda / 2 * |W|^2 (the bias is not penalised) by Nesterov-accelerated
 * gradient descent with the step 1 / L, L = 0.5 * max_i |x_i|^2 + lambda (a bound on the Hessian of the
 * softmax loss), until the gradient's norm is below {@code tol}. The objective is strongly convex, so
 * the solution is unique and the result does not depend on the start. The regularisation is chosen on
 * a validation split from {@link #LAMBDAS}, then the probe is refit on train + validation.
 */
public final class LinearProbe {
    public static final double[] LAMBDAS = {1e-4, 1e-3, 1e-2, 1e-1};
    /**
     * The probe's stopping rule after every session: |gradient| < 1e-4 or 1,000 accelerated steps
     * (enough for lambda >= 1e-3 on unit features; the smallest lambda may stop at the cap, a few
     * seconds a session is what the study can spend).
     */
    static final double TOL = 1e-4;
    static final int MAX_ITER = 1000;

    /** The fitted weights [classes][dim + 1] (the last column the bias) and how the fit ended. */
    public record Fit(double[][] w, int iterations, double gradNorm) { }

    /** The accuracy on the test set and the lambda chosen on validation. */
    public record Result(double accuracy, double lambda, double validationAccuracy) { }

    private LinearProbe() { }

    public static Fit fit(double[][] x, int[] y, int classes, double lambda, double tol, int maxIter) {
        int n = x.length, d = x[0].length;
        double maxSq = 0;
        for (double[] r : x) {
            double s = 0;
            for (double v : r) s += v * v;
            maxSq = Math.max(maxSq, s + 1);                          // + 1: the bias feature
        }
        double step = 1 / (0.5 * maxSq + lambda);
        double[][] w = new double[classes][d + 1], v = new double[classes][d + 1], prev = new double[classes][d + 1];
        double t = 1, gn = Double.POSITIVE_INFINITY;
        int it = 0;
        for (; it < maxIter; it++) {
            double[][] g = gradient(x, y, classes, lambda, v);
            gn = norm(g);
            if (gn < tol) {
                copy(v, w);
                break;
            }
            copy(w, prev);
            for (int k = 0; k < classes; k++) for (int j = 0; j <= d; j++) w[k][j] = v[k][j] - step * g[k][j];
            double tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            for (int k = 0; k < classes; k++) for (int j = 0; j <= d; j++) v[k][j] = w[k][j] + (t - 1) / tn * (w[k][j] - prev[k][j]);
            t = tn;
        }
        return new Fit(w, it, gn);
    }

    /** The gradient of the objective at w. */
    static double[][] gradient(double[][] x, int[] y, int classes, double lambda, double[][] w) {
        int n = x.length, d = x[0].length;
        double[][] g = new double[classes][d + 1];
        double[] p = new double[classes];
        for (int i = 0; i < n; i++) {
            probabilities(x[i], w, p);
            p[y[i]] -= 1;
            for (int k = 0; k < classes; k++) {
                double c = p[k] / n;
                for (int j = 0; j < d; j++) g[k][j] += c * x[i][j];
                g[k][d] += c;
            }
        }
        for (int k = 0; k < classes; k++) for (int j = 0; j < d; j++) g[k][j] += lambda * w[k][j];
        return g;
    }

    /** The objective (for tests). */
    static double loss(double[][] x, int[] y, int classes, double lambda, double[][] w) {
        double l = 0;
        double[] p = new double[classes];
        for (int i = 0; i < x.length; i++) {
            probabilities(x[i], w, p);
            l -= Math.log(p[y[i]]);
        }
        double r = 0;
        for (double[] row : w) for (int j = 0; j + 1 < row.length; j++) r += row[j] * row[j];
        return l / x.length + lambda / 2 * r;
    }

    public static double accuracy(Fit f, double[][] x, int[] y) {
        int ok = 0, classes = f.w().length;
        double[] p = new double[classes];
        for (int i = 0; i < x.length; i++) {
            probabilities(x[i], f.w(), p);
            int best = 0;
            for (int k = 1; k < classes; k++) if (p[k] > p[best]) best = k;
            if (best == y[i]) ok++;
        }
        return (double) ok / x.length;
    }

    /** Picks lambda on (valX, valY), refits on train + validation, scores on test. */
    public static Result evaluate(double[][] trainX, int[] trainY, double[][] valX, int[] valY, double[][] testX, int[] testY, int classes) {
        double best = -1, bestLambda = LAMBDAS[0];
        for (double l : LAMBDAS) {
            double a = accuracy(fit(trainX, trainY, classes, l, TOL, MAX_ITER), valX, valY);
            if (a > best) {
                best = a;
                bestLambda = l;
            }
        }
        double[][] all = new double[trainX.length + valX.length][];
        int[] ally = new int[all.length];
        System.arraycopy(trainX, 0, all, 0, trainX.length);
        System.arraycopy(valX, 0, all, trainX.length, valX.length);
        System.arraycopy(trainY, 0, ally, 0, trainY.length);
        System.arraycopy(valY, 0, ally, trainY.length, valY.length);
        return new Result(accuracy(fit(all, ally, classes, bestLambda, TOL, MAX_ITER), testX, testY), bestLambda, best);
    }

    private static void probabilities(double[] x, double[][] w, double[] p) {
        int d = x.length;
        double mx = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < w.length; k++) {
            double s = w[k][d];
            for (int j = 0; j < d; j++) s += w[k][j] * x[j];
            p[k] = s;
            mx = Math.max(mx, s);
        }
        double z = 0;
        for (int k = 0; k < w.length; k++) z += p[k] = Math.exp(p[k] - mx);
        for (int k = 0; k < w.length; k++) p[k] /= z;
    }

    private static double norm(double[][] g) {
        double s = 0;
        for (double[] r : g) for (double v : r) s += v * v;
        return Math.sqrt(s);
    }

    private static void copy(double[][] from, double[][] to) {
        for (int k = 0; k < from.length; k++) System.arraycopy(from[k], 0, to[k], 0, from[k].length);
    }
}

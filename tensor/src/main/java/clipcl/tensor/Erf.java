package clipcl.tensor;

/**
 * The error function in float64, accurate to about 1e-15 relative: Taylor series near zero and a
 * continued fraction for erfc in the tails (Java's Math has no erf).
 */
public final class Erf {
    private Erf() { }

    public static double erf(double x) {
        if (x != x) return x;
        double ax = Math.abs(x);
        if (ax < 2.0) {
            // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1)); converges fast for |x| < 2.
            double x2 = x * x, term = x, sum = x;
            for (int n = 1; n < 60; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            return sum * 1.1283791670955126; // 2/sqrt(pi)
        }
        double r = erfcLarge(ax);
        return x > 0 ? 1.0 - r : r - 1.0;
    }

    public static double erfc(double x) {
        if (x < 2.0) return 1.0 - erf(x);
        return erfcLarge(x);
    }

    // Lentz's continued fraction: erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))).
    private static double erfcLarge(double x) {
        if (x > 27) return 0.0;
        double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 500; n++) {
            double an = n * 0.5;
            d = x + an * d;
            if (d == 0) d = tiny;
            c = x + an / c;
            if (c == 0) c = tiny;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(-x * x) / (f * 1.7724538509055159); // sqrt(pi)
    }
}

package clipcl.continual.study;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The Pareto front of points where more is better on both axes (new-task accuracy and old-ability retention). */
public final class Pareto {
    private Pareto() { }

    /**
     * Indices of the points no other point dominates (at least as good on both axes and better on one),
     * sorted by x ascending (then y descending); equal points are all on the front. NaN points are never on it.
     */
    public static List<Integer> front(double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("pareto: " + x.length + " x values, " + y.length + " y values");
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) continue;
            boolean dominated = false;
            for (int j = 0; j < x.length && !dominated; j++) {
                dominated = j != i && x[j] >= x[i] && y[j] >= y[i] && (x[j] > x[i] || y[j] > y[i]);
            }
            if (!dominated) out.add(i);
        }
        out.sort(Comparator.<Integer>comparingDouble(i -> x[i]).thenComparing(i -> -y[i]));
        return out;
    }
}

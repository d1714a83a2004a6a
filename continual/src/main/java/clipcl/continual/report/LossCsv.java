package clipcl.continual.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code losses.csv}: one line per logged step, a column per loss term (empty where a step lacks it). */
final class LossCsv {
    private LossCsv() { }

    static String text(List<Map<String, Double>> losses) {
        Set<String> terms = new LinkedHashSet<>();
        for (Map<String, Double> step : losses) terms.addAll(step.keySet());
        terms.remove("step");
        terms.remove("session");
        List<String> cols = new ArrayList<>(List.of("step", "session"));
        cols.addAll(terms);
        StringBuilder b = new StringBuilder(String.join(",", cols)).append('\n');
        for (int k = 0; k < losses.size(); k++) {
            Map<String, Double> step = losses.get(k);
            for (int c = 0; c < cols.size(); c++) {
                if (c > 0) b.append(',');
                String col = cols.get(c);
                Double v = step.get(col);
                if (col.equals("step") && v == null) v = (double) k;
                if (v == null) continue;
                if ((col.equals("step") || col.equals("session")) && v == Math.rint(v)) b.append((long) v.doubleValue());
                else b.append(v);
            }
            b.append('\n');
        }
        return b.toString();
    }
}

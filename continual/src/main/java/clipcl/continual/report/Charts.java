package clipcl.continual.report;

import clipcl.continual.metrics.AccuracyMatrix;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG charts, drawn with XChart off screen. */
final class Charts {
    private Charts() { }

    static {
        headless();
    }

    /** Reports are written by command-line runs and tests: never open a display. */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private static final int WIDTH = 800, HEIGHT = 500;

    /** UT-Acc, ZS-Acc and A-Acc before any session (x = 0) and after each session; error bars when averaged over seeds. */
    static byte[] sessionCurves(RunResult r) throws IOException {
        return perSession(r, "accuracy per session", "accuracy", true,
                new String[][] {{"ut_acc", "UT-Acc (new task)"}, {"zs_acc", "ZS-Acc (old ability)"}, {"a_acc", "A-Acc"}});
    }

    /** Recall@1 both ways on the old and the new data per session (paper B's view of a stream). */
    static byte[] retrievalCurves(RunResult r) throws IOException {
        // Exact-pair recall can be small (template captions repeat): let the axis fit the values.
        return perSession(r, "R@1 per session", "recall@1", false,
                new String[][] {{"i2t_r1_old", "I2T old"}, {"t2i_r1_old", "T2I old"}, {"i2t_r1_new", "I2T new"}, {"t2i_r1_new", "T2I new"}});
    }

    /** Fractions per session, one line per {key, label}, on [0, 1] or [0, fitted]; null when none of the keys was recorded. */
    private static byte[] perSession(RunResult r, String what, String yTitle, boolean wholeRange, String[][] keys) throws IOException {
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle(title(r) + ": " + what);
        chart.setXAxisTitle("session (0 = before any)");
        chart.setYAxisTitle(yTitle);
        chart.getStyler().setYAxisMin(0.0);
        if (wholeRange) chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setMarkerSize(8);
        List<Map<String, Double>> points = new ArrayList<>();
        points.add(r.initial());
        points.addAll(r.sessions());
        for (String[] k : keys) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>(), es = new ArrayList<>();
            for (int s = 0; s < points.size(); s++) {
                Double v = points.get(s).get(k[0]);
                if (v == null || v.isNaN()) continue;
                xs.add((double) s);
                ys.add(v);
                es.add(points.get(s).getOrDefault(k[0] + "_std", 0.0));
            }
            if (xs.isEmpty()) continue;
            XYSeries series = r.averaged() ? chart.addSeries(k[1], xs, ys, es) : chart.addSeries(k[1], xs, ys);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        if (chart.getSeriesMap().isEmpty()) return null;
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /** The matrix as a heat map: one row per session (first at the top), one column per task, values in percent. */
    static byte[] heatMap(AccuracyMatrix m, List<String> taskNames, String title) throws IOException {
        int sessions = m.sessions(), tasks = m.tasks();
        // The (width, height) constructor applies no theme: no fonts or strokes for titles, ticks and legend.
        HeatMapChart chart = new HeatMapChart(Math.max(WIDTH, 90 * tasks + 250), Math.max(HEIGHT, 55 * sessions + 200), Styler.ChartTheme.XChart);
        chart.setTitle(title);
        chart.setXAxisTitle("task (evaluated on)");
        chart.setYAxisTitle("after session");
        List<String> xs = new ArrayList<>();
        for (int t = 0; t < tasks; t++) xs.add(taskNames != null && t < taskNames.size() ? taskNames.get(t) : "task " + (t + 1));
        List<String> ys = new ArrayList<>();
        // The chart draws its first y category at the bottom; list the sessions last to first so session 1 is on top.
        for (int s = sessions - 1; s >= 0; s--) ys.add("session " + (s + 1));
        List<Number[]> cells = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            for (int t = 0; t < tasks; t++) {
                double v = m.get(s, t);
                if (!Double.isNaN(v)) cells.add(new Number[] {t, sessions - 1 - s, Math.round(v * 1000) / 10.0});
            }
        }
        chart.addSeries("accuracy %", xs, ys, cells);
        chart.getStyler().setShowValue(true).setMin(0).setMax(100)
                .setRangeColors(new Color[] {new Color(0xB2182B), new Color(0xF7F7F7), new Color(0x2166AC)})
                .setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13))
                .setValueFontColor(Color.BLACK)
                .setHeatMapValueDecimalPattern("0.0");
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Logged values that are not loss terms: each gets a panel of its own in training.png, since their
     * scales (a gradient norm of 60, a learning rate of 1e-4) would flatten the losses in one chart.
     */
    static final Set<String> TRAINING_SCALARS = Set.of("lr", "grad_norm", "logit_scale");

    /** Every loss term over the steps, with a vertical line where a new session starts. */
    static byte[] losses(RunResult r) throws IOException {
        Set<String> terms = new LinkedHashSet<>();
        for (Map<String, Double> step : r.losses()) terms.addAll(step.keySet());
        terms.removeAll(List.of("step", "session"));
        terms.removeAll(TRAINING_SCALARS);
        XYChart chart = stepChart(r, title(r) + ": loss terms", "value", terms);
        return chart == null ? null : BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /** The training scalars that were logged (learning rate, gradient norm, logit scale), one panel each, side by side. */
    static byte[] trainingScalars(RunResult r) throws IOException {
        List<XYChart> panels = new ArrayList<>();
        for (String key : List.of("lr", "grad_norm", "logit_scale")) {
            XYChart c = stepChart(r, key, key, Set.of(key));
            if (c == null) continue;
            c.getStyler().setLegendVisible(false);
            panels.add(c);
        }
        if (panels.isEmpty()) return null;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(panels, 1, panels.size(), out, BitmapEncoder.BitmapFormat.PNG);
        return out.toByteArray();
    }

    /** A line per series over the logged steps, with session boundaries; null when nothing was logged. */
    private static XYChart stepChart(RunResult r, String title, String yTitle, Set<String> series) {
        XYChart chart = new XYChart(series.size() == 1 ? 420 : WIDTH, series.size() == 1 ? 360 : HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle("step");
        chart.setYAxisTitle(yTitle);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisDecimalPattern("0");
        double xMax = 1, yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (String term : series) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (int k = 0; k < r.losses().size(); k++) {
                Map<String, Double> step = r.losses().get(k);
                Double v = step.get(term);
                if (v == null || !Double.isFinite(v)) continue;
                xs.add(step.getOrDefault("step", (double) k));
                ys.add(v);
                xMax = Math.max(xMax, xs.getLast());
                yMin = Math.min(yMin, v);
                yMax = Math.max(yMax, v);
            }
            if (xs.isEmpty()) continue;
            chart.addSeries(term, xs, ys).setMarker(SeriesMarkers.NONE);
        }
        if (chart.getSeriesMap().isEmpty()) return null;
        // Explicit axis bounds: with bounds taken from the data, XChart 3.8 placed a tick at data values
        // (a learning-rate panel got two dozen overlapping labels).
        double pad = yMax > yMin ? 0.05 * (yMax - yMin) : Math.max(1e-12, 0.05 * Math.abs(yMax));
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(niceCeiling(xMax)).setXAxisTickMarkSpacingHint(80);
        chart.getStyler().setYAxisMin(yMin >= 0 && yMin - pad < 0 ? 0.0 : yMin - pad).setYAxisMax(yMax + pad);
        Double previous = null;
        for (int k = 0; k < r.losses().size(); k++) {
            Double session = r.losses().get(k).get("session");
            if (session != null && previous != null && !session.equals(previous)) {
                chart.addAnnotation(new AnnotationLine(r.losses().get(k).getOrDefault("step", (double) k), true, false));
            }
            if (session != null) previous = session;
        }
        return chart;
    }

    /** The smallest of 1, 2, 2.5, 5 times a power of ten that is >= x (x > 0): a round end for an axis. */
    static double niceCeiling(double x) {
        double p = Math.pow(10, Math.floor(Math.log10(x)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * p >= x) return m * p;
        return 10 * p;
    }

    static String title(RunResult r) {
        return r.method().toUpperCase() + " " + r.protocol().toUpperCase() + " " + r.update().toUpperCase()
                + (r.averaged() ? " (" + r.seeds().size() + " seeds)" : "");
    }
}

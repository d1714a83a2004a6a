package clipcl.continual.study;

import clipcl.continual.protocol.Protocol;
import clipcl.continual.report.ReportParts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The study's PNG charts: per protocol, UT-Acc against ZS-Acc with the Pareto front, and the per-session curves. */
final class StudyCharts {
    private StudyCharts() { }

    /**
     * One labelled point per method that finished (final ZS-Acc on x, UT-Acc on y, error bars of UT over
     * seeds), CLIP_0 as a diamond, the Pareto front as a line through its points; null when no cell finished.
     */
    static byte[] tradeoff(Protocol p, List<CellResult> cells, Map<String, Double> clip0) throws IOException {
        ReportParts.headless();
        List<CellResult> cs = new ArrayList<>();
        for (CellResult c : cells) if (c.protocol() == p && c.finals() != null && !Double.isNaN(c.get("ut_acc")) && !Double.isNaN(c.get("zs_acc"))) cs.add(c);
        if (cs.isEmpty()) return null;
        XYChart chart = new XYChart(900, 650, Styler.ChartTheme.XChart);
        chart.setTitle(p.id().toUpperCase(Locale.ROOT) + ": new task (UT-Acc) against old ability (ZS-Acc), final; line = Pareto front");
        chart.setXAxisTitle("ZS-Acc (Fashion-MNIST zero-shot, old ability)");
        chart.setYAxisTitle("UT-Acc (digits, new task)");
        double[] x = new double[cs.size()], y = new double[cs.size()];
        double lo = clip0 != null ? Math.min(clip0.getOrDefault("zs_acc", 1.0), clip0.getOrDefault("ut_acc", 1.0)) : 1, hiX = 0, hiY = 0, loX = 1, loY = 1;
        for (int i = 0; i < cs.size(); i++) {
            x[i] = cs.get(i).get("zs_acc");
            y[i] = cs.get(i).get("ut_acc");
            loX = Math.min(loX, x[i]);
            hiX = Math.max(hiX, x[i]);
            loY = Math.min(loY, y[i]);
            hiY = Math.max(hiY, y[i]);
        }
        if (clip0 != null && clip0.containsKey("zs_acc")) {
            loX = Math.min(loX, clip0.get("zs_acc"));
            hiX = Math.max(hiX, clip0.get("zs_acc"));
            loY = Math.min(loY, clip0.get("ut_acc"));
            hiY = Math.max(hiY, clip0.get("ut_acc"));
        }
        double padX = Math.max(0.02, 0.08 * (hiX - loX)), padY = Math.max(0.02, 0.08 * (hiY - loY));
        chart.getStyler().setXAxisMin(Math.max(0, round(loX - padX, false))).setXAxisMax(Math.min(1, round(hiX + padX, true)));
        chart.getStyler().setYAxisMin(Math.max(0, round(loY - padY, false))).setYAxisMax(Math.min(1, round(hiY + padY, true)));
        chart.getStyler().setXAxisDecimalPattern("0.00").setYAxisDecimalPattern("0.00");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal);  // inside, it hid points
        chart.getStyler().setMarkerSize(10);
        chart.getStyler().setAnnotationTextFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12));
        List<Integer> front = Pareto.front(x, y);
        if (front.size() > 1) {
            double[] fx = new double[front.size()], fy = new double[front.size()];
            for (int k = 0; k < front.size(); k++) {
                fx[k] = x[front.get(k)];
                fy[k] = y[front.get(k)];
            }
            XYSeries s = chart.addSeries("Pareto front", fx, fy);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE).setLineColor(java.awt.Color.GRAY);
        }
        boolean averaged = false;
        for (CellResult c : cs) averaged |= c.seedsDone().size() > 1;
        double[] ex = new double[cs.size()];
        for (int i = 0; i < cs.size(); i++) ex[i] = cs.get(i).finals().getOrDefault("ut_acc_std", 0.0);
        XYSeries pts = averaged ? chart.addSeries("methods (error bar: UT-Acc std over seeds)", x, y, ex) : chart.addSeries("methods", x, y);
        pts.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarker(SeriesMarkers.CIRCLE).setMarkerColor(new java.awt.Color(0x2166AC));
        double dy = 0.025 * (hiY - loY + 2 * padY), near = 0.08 * (hiX - loX + 2 * padX);
        List<double[]> placed = new ArrayList<>();
        if (clip0 != null && clip0.containsKey("zs_acc") && clip0.containsKey("ut_acc")) {
            XYSeries c0 = chart.addSeries("CLIP_0 (before)", new double[] {clip0.get("zs_acc")}, new double[] {clip0.get("ut_acc")});
            c0.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarker(SeriesMarkers.DIAMOND).setMarkerColor(java.awt.Color.BLACK);
            // below its point: the methods that barely move sit right above CLIP_0
            double[] at = {clip0.get("zs_acc"), clip0.get("ut_acc") - 1.6 * dy};
            chart.addAnnotation(new AnnotationText("CLIP_0", at[0], at[1], false));
            placed.add(at);
        }
        for (int i = 0; i < cs.size(); i++) {
            // a label goes above its point, and further up while it would cover a label already placed
            double ly = y[i] + dy;
            for (boolean moved = true; moved; ) {
                moved = false;
                for (double[] q : placed) {
                    if (Math.abs(q[0] - x[i]) < near && Math.abs(q[1] - ly) < 1.1 * dy) {
                        ly = q[1] + 1.2 * dy;
                        moved = true;
                    }
                }
            }
            placed.add(new double[] {x[i], ly});
            chart.addAnnotation(new AnnotationText(cs.get(i).label(), x[i], ly, false));
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Two panels: UT-Acc and ZS-Acc before any session and after each, one line per method (Joint and
     * CLIP_jt train every session's data in one, so they have one point after CLIP_0); null when no cell finished.
     */
    static byte[] sessions(Protocol p, List<CellResult> cells) throws IOException {
        ReportParts.headless();
        List<XYChart> panels = new ArrayList<>();
        for (String[] k : new String[][] {{"ut_acc", "UT-Acc (new task)"}, {"zs_acc", "ZS-Acc (old ability)"}}) {
            XYChart chart = new XYChart(760, 520, Styler.ChartTheme.XChart);   // saveBitmap gives every panel the first one's width
            chart.setTitle(p.id().toUpperCase(Locale.ROOT) + ": " + k[1] + " per session");
            chart.setXAxisTitle("session (0 = CLIP_0)");
            chart.setYAxisTitle(k[1]);
            chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setXAxisDecimalPattern("0").setYAxisDecimalPattern("0.0");
            // one legend, right of the second panel: thirteen names do not fit under a panel
            chart.getStyler().setLegendVisible(!panels.isEmpty()).setLegendPosition(Styler.LegendPosition.OutsideE);
            chart.getStyler().setMarkerSize(6);
            for (CellResult c : cells) {
                if (c.protocol() != p || c.result() == null) continue;
                List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
                List<Map<String, Double>> pts = new ArrayList<>();
                pts.add(c.result().initial());
                pts.addAll(c.result().sessions());
                for (int s = 0; s < pts.size(); s++) {
                    Double v = pts.get(s).get(k[0]);
                    if (v == null || v.isNaN()) continue;
                    xs.add((double) s);
                    ys.add(v);
                }
                if (!xs.isEmpty()) chart.addSeries(c.label(), xs, ys);
            }
            if (chart.getSeriesMap().isEmpty()) return null;
            panels.add(chart);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(panels, 1, panels.size(), out, BitmapEncoder.BitmapFormat.PNG);
        return out.toByteArray();
    }

    /** x rounded outwards to a multiple of 0.05. */
    private static double round(double x, boolean up) {
        return (up ? Math.ceil(x / 0.05) : Math.floor(x / 0.05)) * 0.05;
    }
}

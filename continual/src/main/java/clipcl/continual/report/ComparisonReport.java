package clipcl.continual.report;

import clipcl.tensor.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Several studies side by side (methods x protocols x update options): {@code summary.md} with one row
 * per study in the papers' layout, and {@code tradeoff.png}, UT-Acc against ZS-Acc (learning the new
 * task against keeping the old ability; up and to the right is better), with CLIP_0 marked.
 */
public final class ComparisonReport {
    private ComparisonReport() { }

    private static final String[][] COLUMNS = {
            {"ut_acc", "UT-Acc"}, {"zs_acc", "ZS-Acc"}, {"a_acc", "A-Acc"}, {"bwt", "Bwt"}, {"forgetting", "Forgetting"},
            {"i2t_r1_old", "I2T R@1 old"}, {"t2i_r1_old", "T2I R@1 old"}, {"i2t_r1_new", "I2T R@1 new"}, {"t2i_r1_new", "T2I R@1 new"}};

    /** The markdown table of the studies' final metrics, in percent, +- the spread over seeds where averaged. */
    public static String markdown(List<RunResult> studies) {
        if (studies.isEmpty()) throw new IllegalArgumentException("comparison: no studies");
        StringBuilder b = new StringBuilder("| method | protocol | update | seeds |");
        for (String[] c : COLUMNS) b.append(' ').append(c[1]).append(" |");
        b.append("\n|---|---|---|---:|");
        for (int i = 0; i < COLUMNS.length; i++) b.append("---:|");
        b.append('\n');
        for (RunResult r0 : studies) {
            RunResult r = r0.withMatrixMetrics();
            b.append("| ").append(r.method()).append(" | ").append(r.protocol()).append(" | ").append(r.update()).append(" | ")
                    .append(r.seeds().size()).append(" |");
            for (String[] c : COLUMNS) b.append(' ').append(ReportMarkdown.percent(r.finalMetrics(), c[0])).append(" |");
            b.append('\n');
        }
        return b.toString();
    }

    /** Writes summary.md and tradeoff.png into dir; returns the names written. */
    public static List<String> write(Path dir, List<RunResult> studies) throws IOException {
        String md = "# Studies compared\n\nFinal metrics in percent (mean +- sample standard deviation over seeds where there are several). "
                + "Bwt: paper A's formula; forgetting: best accuracy since trained minus final, averaged over earlier tasks.\n\n"
                + markdown(studies) + "\n![UT-Acc against ZS-Acc](tradeoff.png)\n";
        List<String> written = new ArrayList<>();
        AtomicFiles.write(dir.resolve("summary.md"), md.getBytes(StandardCharsets.UTF_8));
        written.add("summary.md");
        AtomicFiles.write(dir.resolve("tradeoff.png"), tradeoff(studies));
        written.add("tradeoff.png");
        return written;
    }

    static byte[] tradeoff(List<RunResult> studies) throws IOException {
        Charts.headless();
        XYChart chart = new XYChart(800, 600);
        chart.setTitle("New task against old ability (final)");
        chart.setXAxisTitle("ZS-Acc (old ability)");
        chart.setYAxisTitle("UT-Acc (new task)");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setMarkerSize(11);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        Map<String, Double> initial = studies.get(0).initial();
        if (initial.containsKey("ut_acc") && initial.containsKey("zs_acc")) {
            chart.addSeries("CLIP_0 (before)", new double[] {initial.get("zs_acc")}, new double[] {initial.get("ut_acc")})
                    .setMarker(SeriesMarkers.DIAMOND);
        }
        for (RunResult r : studies) {
            Double ut = r.finalMetrics().get("ut_acc"), zs = r.finalMetrics().get("zs_acc");
            if (ut == null || zs == null) continue;
            String name = String.format(Locale.ROOT, "%s %s %s", r.method(), r.protocol(), r.update()).toUpperCase(Locale.ROOT);
            // Series names must be unique: the same study may appear with other seeds or settings.
            for (int k = 2; chart.getSeriesMap().containsKey(name); k++) name = name.replaceAll(" #\\d+$", "") + " #" + k;
            XYSeries s = r.averaged()
                    ? chart.addSeries(name, new double[] {zs}, new double[] {ut}, new double[] {r.finalMetrics().getOrDefault("ut_acc_std", 0.0)})
                    : chart.addSeries(name, new double[] {zs}, new double[] {ut});
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}

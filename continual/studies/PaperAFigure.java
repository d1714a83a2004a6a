import clipcl.tensor.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Paper A's Fig. 4 from run folders: UT-Acc and ZS-Acc after every session, one line per method.
 * Launched as a single-file program on the tools' class path (see continual/RESULTS.md):
 * {@code java -cp <tools class path> continual/studies/PaperAFigure.java OUT.png TITLE KEY DIR1 DIR2 ...}
 * with KEY ut_acc or zs_acc; each DIR holds a metrics.json, labelled by its folder name.
 */
public class PaperAFigure {
    @SuppressWarnings("unchecked")
    public static void main(String[] a) throws Exception {
        System.setProperty("java.awt.headless", "true");
        XYChart c = new XYChartBuilder().width(800).height(500).title(a[1]).xAxisTitle("session").yAxisTitle(a[2]).build();
        for (int i = 3; i < a.length; i++) {
            Path d = Path.of(a[i]);
            Map<String, Object> m = Json.parseObject(Files.readString(d.resolve("metrics.json")));
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            x.add(0.0);
            y.add(((Number) ((Map<String, Object>) m.get("initial")).get(a[2])).doubleValue());
            List<Object> s = (List<Object>) m.get("sessions");
            for (int k = 0; k < s.size(); k++) {
                x.add(k + 1.0);
                y.add(((Number) ((Map<String, Object>) s.get(k)).get(a[2])).doubleValue());
            }
            c.addSeries(d.getFileName().toString(), x, y);
        }
        BitmapEncoder.saveBitmap(c, a[0], BitmapEncoder.BitmapFormat.PNG);
    }
}

package clipcl.continual.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.continual.metrics.AccuracyMatrix;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole run folder for an MST-like study of 5 sessions over 3 seeds. To look at the charts, run
 * with {@code -Dclipcl.report.dir=/some/folder}: the files are written there instead of a temp folder.
 */
class ReportFilesTest {

    /** Plausible numbers for a forgetting fine-tune: each session learns its task and loses the earlier ones. */
    static RunResult study(long seed) {
        Random rnd = new Random(seed);
        int n = 5;
        AccuracyMatrix acc = new AccuracyMatrix(n, n), aware = new AccuracyMatrix(n, n);
        for (int s = 0; s < n; s++) {
            for (int t = 0; t < n; t++) {
                double noise = 0.02 * rnd.nextGaussian();
                double v = t == s ? 0.95 : t < s ? 0.95 - 0.18 * (s - t) : 0.1;
                acc.set(s, t, Math.clamp(v + noise, 0, 1));
                aware.set(s, t, Math.clamp((t <= s ? 0.98 - 0.05 * (s - t) : 0.5) + noise, 0, 1));
            }
        }
        List<Map<String, Double>> sessions = new ArrayList<>();
        for (int s = 0; s < n; s++) sessions.add(m(0.2 + 0.15 * s + 0.01 * rnd.nextGaussian(), 0.87 - 0.08 * (s + 1) + 0.02 * rnd.nextGaussian()));
        List<Map<String, Double>> losses = new ArrayList<>();
        for (int k = 0; k < 250; k++) {
            Map<String, Double> l = new LinkedHashMap<>();
            l.put("step", (double) k);
            l.put("session", (double) (k / 50));
            l.put("contrastive", 2.3 * Math.exp(-(k % 50) / 15.0) + 0.3 + 0.05 * rnd.nextGaussian());
            l.put("lwf", 0.2 * (k / 50) * (1 - Math.exp(-(k % 50) / 10.0)));
            // Training scalars on other scales go to training.png, not into the loss chart.
            l.put("lr", 1e-3 * Math.min(1, (k % 50 + 1) / 10.0));
            l.put("grad_norm", 40 * Math.exp(-(k % 50) / 5.0) + 1);
            losses.add(l);
        }
        Map<String, Object> diag = new LinkedHashMap<>();
        diag.put("task_names", List.of("0 1", "2 3", "4 5", "6 7", "8 9"));
        diag.put("logit_scale", 13.2 + rnd.nextGaussian() * 0.2);
        diag.put("zs_acc_new_image_old_text", 0.41 + 0.01 * rnd.nextGaussian());
        diag.put("contrastive", "single-positive InfoNCE");
        return new RunResult("ft", "mst", "wm", List.of(seed), m(0.11, 0.87), sessions, sessions.get(n - 1), acc, aware, losses, diag);
    }

    private static Map<String, Double> m(double ut, double zs) {
        Map<String, Double> x = new LinkedHashMap<>();
        x.put("ut_acc", ut);
        x.put("zs_acc", zs);
        x.put("a_acc", (ut + zs) / 2);
        x.put("i2t_r1_old", zs * 0.3);
        x.put("t2i_r1_old", zs * 0.25);
        x.put("i2t_r1_new", ut * 0.3);
        x.put("t2i_r1_new", ut * 0.2);
        x.put("i2t_r5_new", ut * 0.6);
        x.put("t2i_r5_new", ut * 0.5);
        x.put("ut_acc_task_aware", Math.min(1, ut + 0.2));
        return x;
    }

    @Test
    void writesEveryFileAndTheChartsAreImages(@TempDir Path tmp) throws Exception {
        String keep = System.getProperty("clipcl.report.dir");
        Path dir = keep != null ? Files.createDirectories(Path.of(keep)) : tmp;
        RunResult r = RunResult.meanOverSeeds(List.of(study(1), study(2), study(3)));
        List<String> written = RunReport.write(dir, r);
        assertEquals(List.of("metrics.json", "sessions.png", "retrieval.png", "accuracy_matrix.png", "accuracy_matrix_task_aware.png", "losses.png",
                "training.png", "losses.csv", "report.md"), written);
        for (String png : List.of("sessions.png", "retrieval.png", "accuracy_matrix.png", "accuracy_matrix_task_aware.png", "losses.png", "training.png")) {
            BufferedImage img = ImageIO.read(dir.resolve(png).toFile());
            // training.png is a row of smaller panels (two here: lr and grad_norm).
            int minHeight = png.equals("training.png") ? 360 : 500;
            assertTrue(img != null && img.getWidth() >= 800 && img.getHeight() >= minHeight, png + " is not an image of the expected size");
        }
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("# FT MST WM (3 seeds)"), md);
        assertTrue(md.contains("| before (CLIP_0) | 11.00 +- 0.00 | 87.00 +- 0.00 | 49.00 +- 0.00 |"), md);
        assertTrue(md.contains("| after \\ task | 0 1 | 2 3 | 4 5 | 6 7 | 8 9 |"), md);
        assertTrue(md.contains("| class-incremental | -"), md);
        assertTrue(md.contains("MTIL metrics of this matrix (ZSCL): Transfer"), md);
        assertTrue(md.contains("| logit_scale | 13."), md);
        // R@5 measured on the new data only: a retrieval table for it, none for the old data.
        assertTrue(md.contains("## Retrieval on the new data"), md);
        assertTrue(md.contains("| | I2T R@1 | I2T R@5 | T2I R@1 | T2I R@5 |"), md);
        assertTrue(!md.contains("## Retrieval on the old data"), md);
        assertTrue(md.contains("| | ut_acc_task_aware |\n|---|---:|\n| before (CLIP_0) | 31.00 +- 0.00 |"), md);
        assertTrue(md.contains("![losses](losses.png)"), md);
        String csv = Files.readString(dir.resolve("losses.csv"));
        assertTrue(csv.startsWith("step,session,contrastive,lwf,lr,grad_norm\n0,0,"), csv.substring(0, 60));
        assertEquals(251, csv.split("\n").length);
        // Writing again gives the same metrics.json and report.md bytes.
        byte[] json = Files.readAllBytes(dir.resolve("metrics.json")), text = Files.readAllBytes(dir.resolve("report.md"));
        RunReport.write(dir, r);
        assertArrayEquals(json, Files.readAllBytes(dir.resolve("metrics.json")));
        assertArrayEquals(text, Files.readAllBytes(dir.resolve("report.md")));
    }

    @Test
    void oneSessionWithoutLossesStillReports(@TempDir Path dir) throws Exception {
        AccuracyMatrix acc = new AccuracyMatrix(1, 1);
        acc.set(0, 0, 0.91);
        RunResult r = new RunResult("ft", "ost", "io", List.of(1L), m(0.11, 0.87), List.of(m(0.91, 0.45)), m(0.91, 0.45), acc, null, List.of(), Map.of());
        assertEquals(List.of("metrics.json", "sessions.png", "retrieval.png", "accuracy_matrix.png", "report.md"), RunReport.write(dir, r));
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("Bwt and forgetting: not defined for this run"), md);
        assertTrue(md.contains("| **final** | 91.00 | 45.00 | 68.00 |"), md);
    }
}

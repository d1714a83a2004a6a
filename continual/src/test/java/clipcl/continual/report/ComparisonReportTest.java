package clipcl.continual.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonReportTest {

    @Test
    void oneRowPerStudyAndTheTradeoffChart(@TempDir Path tmp) throws Exception {
        String keep = System.getProperty("clipcl.report.dir");
        Path dir = keep != null ? Files.createDirectories(Path.of(keep)) : tmp;
        RunResult mst = RunResult.meanOverSeeds(List.of(ReportFilesTest.study(1), ReportFilesTest.study(2), ReportFilesTest.study(3)));
        RunResult single = RunReportTest.run(5, 0);
        String md = ComparisonReport.markdown(List.of(mst, single));
        String[] lines = md.split("\n");
        assertEquals(4, lines.length, md);
        assertTrue(lines[2].startsWith("| ft | mst | wm | 3 | 80.61 +- 1.00 | 46.45 +- 1.13 |"), lines[2]);
        // The single run: final UT 0.7, ZS 0.5, Bwt (0.6 - 0.9) = -30.00, forgetting 30.00.
        assertTrue(lines[3].startsWith("| ft | mst | wm | 1 | 70.00 | 50.00 | 60.00 | -30.00 | 30.00 |"), lines[3]);
        assertEquals(List.of("summary.md", "tradeoff.png"), ComparisonReport.write(dir, List.of(mst, single)));
        BufferedImage img = ImageIO.read(dir.resolve("tradeoff.png").toFile());
        assertTrue(img != null && img.getWidth() == 800 && img.getHeight() == 600);
        assertTrue(Files.readString(dir.resolve("summary.md")).contains(md));
        assertThrows(IllegalArgumentException.class, () -> ComparisonReport.markdown(List.of()));
    }
}

package clipcl.continual.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GridProgressTest {
    @Test
    void timeLeftUsesEachProtocolsMeanAndTheOverallMeanForAProtocolNotSeenYet() {
        Map<String, List<Double>> done = Map.of("ost", List.of(4.0, 6.0), "mst", List.of(10.0));
        // ost: 5 each, mst: 10 each, stream: none yet -> overall mean (4 + 6 + 10) / 3 = 20/3
        assertEquals(2 * 5 + 10 + 20.0 / 3, GridProgress.estimateLeft(done, List.of("ost", "ost", "mst", "stream")), 1e-12);
        assertTrue(Double.isNaN(GridProgress.estimateLeft(Map.of(), List.of("ost"))));
        assertEquals(0.0, GridProgress.estimateLeft(Map.of(), List.of()));
    }

    @Test
    void theLineSaysDoneElapsedAndLeft() {
        assertEquals("12/39 done (1 failed), 1:02 elapsed, ~3:10 left", new GridProgress(12, 1, 39, 62, 190).line());
        assertEquals("0/3 done, 0:00 elapsed, time left not known yet", new GridProgress(0, 0, 3, 0.2, Double.NaN).line());
        assertEquals("1:01:01", GridProgress.clock(3661));
    }
}

package clipcl.continual.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.continual.Fixtures;
import clipcl.continual.train.TrainConfig;
import clipcl.continual.train.UpdateOption;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The step timer on the tiny benchmark: a sample per timed step of every round, the warm-up left out, too short a session refused. */
class StepTimerTest {
    /** batch 6, 2 epochs of a stream phase of 12 items: 4 steps in the first session. */
    private static StudyConfig config() {
        TrainConfig tc = new TrainConfig(6, 2, 1e-3, 0.1, "adamw", "cosine", 0.1, 1.0, "contrastive", false, true, true, 0, 1000, 0);
        return new StudyConfig("clip-ct", Protocol.STREAM, UpdateOption.WM, 5, tc, 30, 2, 5, null);
    }

    @Test
    void everyTimedStepOfEveryRoundIsASample() throws IOException {
        List<String> log = new ArrayList<>();
        List<StepTimer.Times> t = StepTimer.time(config(), List.of("clip-ct", "mod-x"), StudyTest.BENCH, Fixtures.tinyClip(StudyTest.BENCH),
                StudyTest.IMAGES, 1, 2, 2, log::add);
        assertEquals(List.of("clip-ct", "mod-x"), t.stream().map(StepTimer.Times::method).toList());
        for (StepTimer.Times x : t) {
            assertEquals(4, x.samples(), x.method() + ": 2 rounds x 2 timed steps");
            assertTrue(x.p10() > 0 && x.p10() <= x.median() && x.median() <= x.p90(), x.toString());
        }
        assertEquals(4, log.size(), "a line per method and round");
    }

    @Test
    void aSessionShorterThanTheWindowIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> StepTimer.time(config(), List.of("clip-ct"), StudyTest.BENCH,
                Fixtures.tinyClip(StudyTest.BENCH), StudyTest.IMAGES, 2, 3, 1, s -> { }));
        assertTrue(e.getMessage().contains("fewer than --warmup + --steps (5)"), e.getMessage());
    }

    @Test
    void quantilesInterpolate() {
        List<Double> v = List.of(4.0, 1.0, 3.0, 2.0);
        assertEquals(2.5, StepTimer.quantile(v, 0.5), 1e-12);
        assertEquals(1.3, StepTimer.quantile(v, 0.1), 1e-12);
        assertEquals(4.0, StepTimer.quantile(v, 1.0), 1e-12);
    }
}

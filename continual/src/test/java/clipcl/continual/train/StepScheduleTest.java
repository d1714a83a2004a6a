package clipcl.continual.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.optim.Schedule;
import org.junit.jupiter.api.Test;

/** Paper A's OST schedule, "step:10": the rate x0.1 once 10 of the session's 15 epochs are done. */
class StepScheduleTest {
    private static TrainConfig cfg(double epochs, String schedule) {
        return new TrainConfig(100, epochs, 1e-6, 0, "adam", schedule, 0.1, 1.0, "class_ce", false, true, true, 0, 20, 0);
    }

    @Test
    void theRateDropsTenfoldAfterTheGivenEpoch() {
        TrainConfig c = cfg(15, "step:10");
        long steps = c.steps(3000);                                          // 30 steps an epoch, 450 in all
        assertEquals(450, steps);
        Schedule s = Optimizers.schedule(c, steps);
        assertEquals(1e-6, s.lr(0), 0);
        assertEquals(1e-6, s.lr(299), 0);                                    // the last step of epoch 10
        assertEquals(1e-7, s.lr(300), 1e-20);                                // the first of epoch 11
        assertEquals(1e-7, s.lr(449), 1e-20);
        // a drop at or after the session's end never happens
        Schedule late = Optimizers.schedule(cfg(10, "step:10"), 300);
        assertEquals(1e-6, late.lr(299), 0);
    }

    @Test
    void malformedStepSchedulesAreRefused() {
        for (String bad : new String[] {"step:", "step:0", "step:-1", "step:x", "steps"}) {
            String e = assertThrows(IllegalArgumentException.class, () -> cfg(15, bad)).getMessage();
            assertTrue(e.contains("'" + bad + "'") && e.contains("step:E"), e);
        }
        assertEquals(10.0, TrainConfig.stepDropEpochs("step:10"));
        assertTrue(Double.isNaN(TrainConfig.stepDropEpochs("cosine")));
    }

    @Test
    void aCosineSessionOfOneStepTrainsAtTheFullRate() {
        // a small phase of a stream can be one step long: no room to warm up, so that step runs at the base rate
        Schedule one = Optimizers.schedule(cfg(1, "cosine"), 1);
        assertEquals(1e-6, one.lr(0), 0);
        assertEquals(0L, one.toJson().get("warmup"));
        assertEquals(1L, Optimizers.schedule(cfg(1, "cosine"), 2).toJson().get("warmup"));
    }
}

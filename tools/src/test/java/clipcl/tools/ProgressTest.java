package clipcl.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void aResumedRunsRateAndTimeLeftCountOnlyItsOwnSteps() {
        // 60 of 138 steps done before the resume, 20 more in 10 s: 2 steps/s, 58 left, 29 s
        assertEquals("train [################------------] 80/138  58% 0:10 2.0/s eta 0:29 loss 1",
                Progress.line("train", 80, 60, 138, 10, "loss 1"));
        // just resumed: no rate yet and no time left to guess
        assertEquals("train [############----------------] 60/138  43% 0:00 0.0/s ", Progress.line("train", 60, 60, 138, 0, ""));
        // a fresh run
        assertEquals("s [##############--------------] 5/10  50% 0:05 1.0/s eta 0:05 ", Progress.line("s", 5, 0, 10, 5, ""));
    }
}

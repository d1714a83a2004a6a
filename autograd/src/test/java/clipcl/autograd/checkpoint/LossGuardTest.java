package clipcl.autograd.checkpoint;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LossGuardTest {
    private static Map<String, Double> terms(double total, double i2t, double t2i) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", total);
        m.put("image-to-text", i2t);
        m.put("text-to-image", t2i);
        return m;
    }

    @Test
    void aNonFiniteTermStopsTheRunNamingStepTermAndCheckpoint() {
        LossGuard.check(3, terms(0.7, 0.6, 0.8), Path.of("run/checkpoint"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LossGuard.check(7, terms(Double.NaN, 0.6, Double.NaN), Path.of("run/checkpoint")));
        assertTrue(e.getMessage().startsWith("step 7: "), e.getMessage());
        assertTrue(e.getMessage().contains("text-to-image NaN <-") && e.getMessage().contains("image-to-text 0.6,"), e.getMessage());
        assertTrue(e.getMessage().contains("run/checkpoint is intact"), e.getMessage());
        // Finite terms whose sum overflowed are caught through the total.
        assertThrows(IllegalStateException.class, () -> LossGuard.check(8, terms(Double.POSITIVE_INFINITY, 1e308, 1e308), Path.of("c")));
    }
}

package clipcl.continual.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.optim.Optimizer;
import clipcl.clip.model.Clip;
import clipcl.continual.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Adam's beta2 and eps from the train config (paper B's 0.99 / 1e-8), CLIP's 0.98 / 1e-6 otherwise; bad values refused. */
class AdamSettingsTest {
    private static TrainConfig cfg(String optimizer, double beta2, double eps) {
        return new TrainConfig(8, 1, 1e-4, 0.2, optimizer, "cosine", 0.2, 0, "contrastive", false, true, true, 0, 20, 0, beta2, eps);
    }

    @Test
    void theOptimizerGetsTheConfiguredBetasAndEpsilon() {
        Clip model = Fixtures.tinyClip(Fixtures.benchmark());
        for (String o : new String[] {"adamw", "adam"}) {
            Optimizer opt = Optimizers.build(cfg(o, 0.99, 1e-8), model);
            Map<String, Object> h = opt.hyperParameters();
            assertEquals(0.9, h.get("beta1"), o);
            assertEquals(0.99, h.get("beta2"), o);
            assertEquals(1e-8, h.get("eps"), o);
        }
        Map<String, Object> dflt = Optimizers.build(new TrainConfig(8, 1, 1e-4, 0.2, "adamw", "cosine", 0.2, 1, "contrastive", false, true, true, 0, 20, 0), model).hyperParameters();
        assertEquals(TrainConfig.CLIP_BETA2, dflt.get("beta2"));
        assertEquals(TrainConfig.CLIP_EPS, dflt.get("eps"));
    }

    @Test
    void theSettingsAreRecordedOnlyWhenTheyDifferFromClips() {
        Map<String, Object> j = cfg("adamw", 0.99, 1e-8).toJson();
        assertEquals(0.99, j.get("adam_beta2"));
        assertEquals(1e-8, j.get("adam_eps"));
        // runs recorded before these settings existed must read the same (a rerun compares the settings)
        Map<String, Object> d = cfg("adamw", TrainConfig.CLIP_BETA2, TrainConfig.CLIP_EPS).toJson();
        assertFalse(d.containsKey("adam_beta2") || d.containsKey("adam_eps"), d.toString());
        assertEquals(cfg("adamw", 0.99, 1e-8), cfg("adamw", 0.99, 1e-8).withEpochs(1).withBatch(8).withCheckpointEvery(20));
    }

    @Test
    void badValuesAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> cfg("adamw", 1.0, 1e-8)).getMessage().contains("adam_beta2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> cfg("adamw", 0.99, 0)).getMessage().contains("adam_eps"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TrainConfig(8, 1, 1e-4, 0.2, "adamw", "cosine", 0.2, -1, "contrastive",
                false, true, true, 0, 20, 0)).getMessage().contains("clip_norm"));
    }
}

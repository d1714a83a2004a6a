package clipcl.continual.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.Var;
import clipcl.clip.model.Clip;
import clipcl.continual.Fixtures;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.EpochSampler;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.Session;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A session whose loss turns non-finite stops at that step, naming the step and the term, before the
 * optimizer touches the weights and before any checkpoint is written: the last good checkpoint stays.
 */
class TrainerLossGuardTest {
    /** Finite for the first {@code finiteSteps} calls, then NaN. */
    static final class TurnsNaN implements LossTerm {
        private final int finiteSteps;
        private int calls;

        TurnsNaN(int finiteSteps) { this.finiteSteps = finiteSteps; }

        @Override
        public String name() { return "poison"; }

        @Override
        public double weight() { return 1; }

        @Override
        public Var compute(Batch batch, StudentOutputs student, TeacherContext ctx) {
            Var zero = student.imageFeatures().sum().mul(0.0);
            return calls++ < finiteSteps ? zero : zero.add(Double.NaN);
        }
    }

    @Test
    void aNanLossStopsTheSessionBeforeTheUpdateAndTheCheckpoint() {
        Benchmark b = Fixtures.benchmark();
        Clip m = Fixtures.tinyClip(b);
        int[] pool = b.digitsTrain().itemsOf(new int[] {0, 1});
        TrainConfig tc = new TrainConfig(8, 1, 1e-3, 0.1, "adamw", "cosine", 0.1, 1.0, "contrastive", false, false, true, 0, 1, 0);
        TextEncoder text = new TextEncoder(b.tokenizer());
        Session s = new Session(0, "s", new int[] {0, 1}, pool);
        Trainer.Spec spec = new Trainer.Spec(m, Optimizers.build(tc, m), Optimizers.schedule(tc, 4), tc, 4, 0, b.digitsTrain(), new EpochSampler(pool, 8, 3),
                new ImageTensors(28, false), b.digitCaptions(), text, List.of(new ContrastiveLoss(false), new TurnsNaN(2)), List.of(), null,
                new TeacherContext(null, s, s.classes(), text), 4, Long.MAX_VALUE);
        float[] initial = firstWeight(m);
        List<Long> checkpoints = new ArrayList<>();
        float[][] afterStep2 = new float[1][];
        Trainer.Callbacks cb = new Trainer.Callbacks() {
            @Override
            public void logged(long done, Map<String, Double> log) { }

            @Override
            public void checkpoint(long done) {
                checkpoints.add(done);
                afterStep2[0] = firstWeight(m);
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Trainer.run(spec, 0, cb, SessionListener.NONE));
        assertTrue(e.getMessage().startsWith("step 3: the loss is not finite"), e.getMessage());
        assertTrue(e.getMessage().contains("poison NaN <-"), e.getMessage());
        assertTrue(e.getMessage().contains("stopped before updating the weights"), e.getMessage());
        assertEquals(List.of(1L, 2L), checkpoints, "checkpoints after the good steps only");
        assertTrue(!java.util.Arrays.equals(initial, afterStep2[0]), "the good steps did train this weight");
        assertArrayEquals(afterStep2[0], firstWeight(m), "the NaN step changed no weight");
    }

    private static float[] firstWeight(Clip m) {
        Tensor t = m.trainableParameters().values().iterator().next().data();
        return t.toFloatArray();
    }
}

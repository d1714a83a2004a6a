package clipcl.continual.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.clip.model.Clip;
import clipcl.continual.Fixtures;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.EpochSampler;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.ReservoirBuffer;
import clipcl.continual.data.Session;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a step trains on: sampler items, captions from the templates, replayed items at the tail. */
class TrainerBatchTest {
    static Trainer.Spec spec(Benchmark b, Clip m, int[] pool, ReservoirBuffer buf, double replay, int session) {
        TrainConfig tc = new TrainConfig(8, 1, 1e-3, 0.1, "adamw", "cosine", 0.1, 1.0, "contrastive", false, false, true, 0, 10, replay);
        TextEncoder text = new TextEncoder(b.tokenizer());
        Session s = new Session(session, "s", new int[] {0, 1}, pool);
        return new Trainer.Spec(m, Optimizers.build(tc, m), Optimizers.schedule(tc, 4), tc, 3, session, b.digitsTrain(), new EpochSampler(pool, 8, 3),
                new ImageTensors(28, false), b.digitCaptions(), text, List.of(new ContrastiveLoss(false)), List.of(), buf, new TeacherContext(null, s, s.classes(), text), 4, Long.MAX_VALUE);
    }

    @Test
    void replayedItemsTakeTheTailOfTheBatch() {
        Benchmark b = Fixtures.benchmark();
        Clip m = Fixtures.tinyClip(b);
        int[] pool = b.digitsTrain().itemsOf(new int[] {0, 1});                 // 12 items of digits 0 and 1
        ReservoirBuffer buf = new ReservoirBuffer(4, 1);
        for (int i : b.digitsTrain().itemsOf(new int[] {7})) buf.offer(i, 7, null);
        Batch plain = Trainer.batch(spec(b, m, pool, buf, 0, 0), 1);
        Batch mixed = Trainer.batch(spec(b, m, pool, buf, 0.25, 0), 1);
        assertEquals(0, plain.replayed());
        assertEquals(2, mixed.replayed());
        assertArrayEquals(Arrays.copyOf(plain.items(), 6), Arrays.copyOf(mixed.items(), 6));
        for (int i = 6; i < 8; i++) {
            assertEquals(7, mixed.labels()[i]);
            assertTrue(mixed.captions().get(i).contains("digit seven"), mixed.captions().get(i));
        }
        for (int i = 0; i < 6; i++) assertTrue(mixed.labels()[i] <= 1);
        // captions follow the labels and the per-step generator: same step same batch, another session another draw
        assertEquals(plain.captions(), Trainer.batch(spec(b, m, pool, buf, 0, 0), 1).captions());
        assertNotEquals(plain.images().toFloatArray()[0] + " " + plain.captions(), Trainer.batch(spec(b, m, pool, buf, 0, 1), 1).images().toFloatArray()[0] + " " + Trainer.batch(spec(b, m, pool, buf, 0, 1), 1).captions());
        assertArrayEquals(new int[] {8, 3, 28, 28}, plain.images().dims());
        assertArrayEquals(new int[] {8, b.tokenizer().contextLength()}, plain.ids().dims());
    }
}

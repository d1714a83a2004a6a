package clipcl.continual.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.clip.model.Clip;
import clipcl.continual.Fixtures;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.Session;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LossTermsTest {
    @Test
    void positivesAreTheIdenticalCaptions() {
        Tensor q = ContrastiveLoss.notPositive(List.of("a", "b", "a", "a"));
        assertArrayEquals(new int[] {0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0}, q.toIntArray());
    }

    private static Batch batch(Benchmark b, int[] items, List<String> captions) {
        TextEncoder text = new TextEncoder(b.tokenizer());
        int[] labels = new int[items.length];
        for (int i = 0; i < items.length; i++) labels[i] = b.digitsTrain().labels()[items[i]];
        return new Batch(items, labels, new ImageTensors(28, false).of(b.digitsTrain(), items, null), captions, text.ids(captions), 0);
    }

    @Test
    void withDistinctCaptionsMultiPositiveIsPlainInfoNce() {
        Benchmark b = Fixtures.benchmark();
        Clip m = Fixtures.tinyClip(b);
        int[] items = {0, 1, 2, 3};
        List<String> caps = new ArrayList<>();
        for (int i : items) caps.add(b.digitCaptions().prompt(b.digitsTrain().classNames().get(b.digitsTrain().labels()[i])));
        Batch batch = batch(b, items, caps);
        double plain = new ContrastiveLoss(false).compute(batch, new StudentOutputs(m, batch), null).item();
        double multi = new ContrastiveLoss(true).compute(batch, new StudentOutputs(m, batch), null).item();
        assertEquals(plain, multi, 1e-5);
        // with a repeated caption they differ: the duplicate's image is no longer a negative of the caption,
        // and the mass on both positives is at least the mass on one
        List<String> dup = new ArrayList<>(caps);
        dup.set(1, dup.get(0));
        Batch bd = batch(b, items, dup);
        double p2 = new ContrastiveLoss(false).compute(bd, new StudentOutputs(m, bd), null).item();
        double m2 = new ContrastiveLoss(true).compute(bd, new StudentOutputs(m, bd), null).item();
        assertTrue(m2 < p2, "multi-positive " + m2 + " should be below plain " + p2);
    }

    @Test
    void sessionMaskGivesOtherClassesNoGradientThroughTheLogits() {
        Benchmark b = Fixtures.benchmark();
        Clip m = Fixtures.tinyClip(b);
        int[] items = {0, 1, 10, 11}; // labels 0, 1, 0, 1
        List<String> caps = List.of("x", "x", "x", "x");
        Batch batch = batch(b, items, caps);
        TextEncoder text = new TextEncoder(b.tokenizer());
        Session s = new Session(0, "digits 0,1", new int[] {0, 1}, items);
        ClassPromptLoss masked = new ClassPromptLoss(b.digitsTrain().classNames(), b.digitCaptions(), true);
        ClassPromptLoss open = new ClassPromptLoss(b.digitsTrain().classNames(), b.digitCaptions(), false);
        TeacherContext ctx = new TeacherContext(null, s, s.classes(), text);
        double lm = masked.compute(batch, new StudentOutputs(m, batch), ctx).item();
        double lo = open.compute(batch, new StudentOutputs(m, batch), ctx).item();
        // masked: a 2-way problem, so the loss is at most ln 2 away from the open 10-way one and below it
        assertTrue(lm < lo, "masked " + lm + " vs unmasked " + lo);
        // token embeddings of words only in prompts of digits 2..9 get no gradient when masked
        m.zeroGrad();
        masked.compute(batch, new StudentOutputs(m, batch), ctx).backward();
        Tensor g = m.parameter("token_embedding.weight").grad();
        int nine = b.tokenizer().encode("nine")[1];
        double sum = 0;
        for (int j = 0; j < g.dim(1); j++) sum += Math.abs(g.get(nine, j));
        assertEquals(0.0, sum, 0.0);
        m.zeroGrad();
        open.compute(batch, new StudentOutputs(m, batch), ctx).backward();
        g = m.parameter("token_embedding.weight").grad();
        sum = 0;
        for (int j = 0; j < g.dim(1); j++) sum += Math.abs(g.get(nine, j));
        assertTrue(sum > 0);
    }

    @Test
    void updateOptionsFreezeTheOtherTower() {
        Benchmark b = Fixtures.benchmark();
        Clip m = Fixtures.tinyClip(b);
        UpdateOption.IO.apply(m);
        assertTrue(m.trainableParameters().keySet().stream().allMatch(n -> n.startsWith("visual.")));
        UpdateOption.TO.apply(m);
        assertTrue(m.trainableParameters().containsKey("token_embedding.weight"));
        assertTrue(m.trainableParameters().containsKey("text_projection"));
        assertTrue(m.trainableParameters().keySet().stream().noneMatch(n -> n.startsWith("visual.") || n.equals("logit_scale")));
        UpdateOption.WM.apply(m);
        assertEquals(m.namedParameters().size(), m.trainableParameters().size());
    }

    /** Plain DER's base objective: the new items as a batch of their own; replayed rows get no gradient from it. */
    @Test
    void newItemsOnlyIsTheBaseLossOfTheNewRowsAlone() {
        Benchmark b = Fixtures.benchmark();
        Clip m = Fixtures.tinyClip(b);
        int[] items = {0, 1, 2, 3, 4, 5};
        List<String> caps = new ArrayList<>();
        for (int i : items) caps.add(b.digitCaptions().prompt(b.digitsTrain().classNames().get(b.digitsTrain().labels()[i])));
        Batch whole = batch(b, items, caps);
        Batch replay = new Batch(whole.items(), whole.labels(), whole.images(), whole.captions(), whole.ids(), 2); // the last 2 replayed
        Batch fresh = batch(b, new int[] {0, 1, 2, 3}, caps.subList(0, 4));
        for (LossTerm base : List.of(new ContrastiveLoss(false), new ContrastiveLoss(true))) {
            double alone = base.compute(fresh, new StudentOutputs(m, fresh), null).item();
            StudentOutputs shared = new StudentOutputs(m, replay);
            double all = base.compute(replay, shared, null).item();
            double head = new NewItemsOnly(base).compute(replay, shared, null).item();
            assertEquals(alone, head, 1e-6, base.name());
            assertTrue(Math.abs(all - head) > 1e-4, base.name() + ": the replayed rows change the full-batch loss");
            assertEquals(all, new NewItemsOnly(base).compute(whole, new StudentOutputs(m, whole), null).item(), 0.0, "no replayed rows: the base loss itself");
        }
        // gradient: the replayed images' features get none from the head-only loss
        StudentOutputs s = new StudentOutputs(m, replay);
        clipcl.autograd.Var img = s.imageFeatures();
        img.retainGrad();
        new NewItemsOnly(new ContrastiveLoss(false)).compute(replay, s, null).backward();
        float[] g = img.grad().toFloatArray();
        int e = img.dim(1);
        double newRows = 0, replayedRows = 0;
        for (int k = 0; k < g.length; k++) {
            if (k < 4 * e) newRows += Math.abs(g[k]);
            else replayedRows += Math.abs(g[k]);
        }
        assertEquals(0.0, replayedRows, 0.0);
        assertTrue(newRows > 0);
        m.zeroGrad();
    }
}

package clipcl.continual.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.Var;
import clipcl.clip.data.FashionMnist;
import clipcl.clip.demo.WordTokenizer;
import clipcl.clip.model.Clip;
import clipcl.continual.Fixtures;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.CaptionTemplates;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.Session;
import clipcl.continual.train.Batch;
import clipcl.continual.train.StudentOutputs;
import clipcl.continual.train.TeacherContext;
import clipcl.continual.train.TextEncoder;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LwF and VR-LwF's terms on a tiny CLIP: what they distil, when they vanish, where the texts come from. */
class PaperALossTermsTest {
    static final Benchmark B = Fixtures.benchmark();
    static final TextEncoder TEXT = new TextEncoder(B.tokenizer());

    static Batch batch(int... items) {
        int[] labels = new int[items.length];
        List<String> caps = new ArrayList<>();
        for (int i = 0; i < items.length; i++) {
            labels[i] = B.digitsTrain().labels()[items[i]];
            caps.add(B.digitCaptions().prompt(B.digitsTrain().classNames().get(labels[i])));
        }
        return new Batch(items, labels, new ImageTensors(28, false).of(B.digitsTrain(), items, null), caps, TEXT.ids(caps), 0);
    }

    static TeacherContext ctx(Clip teacher, int[] session, int[] seen) {
        return new TeacherContext(teacher, new Session(0, "s", session, new int[] {0}), seen, TEXT);
    }

    static LwfLoss lwf(LwfLoss.Classes c, Distillation.Form f) {
        return new LwfLoss("lwf", 1, B.digitsTrain().classNames(), CaptionTemplates.digits(), c, 1, f);
    }

    static final int[] ALL = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

    @Test
    void lwfVanishesWithNoGradientWhileTheStudentIsTheTeacherAndGrowsOnceItMoves() {
        Clip student = Fixtures.tinyClip(B), teacher = student.deepCopy();
        teacher.freeze("*");
        Batch b = batch(0, 1, 2, 3, 4, 5);
        Var v = lwf(LwfLoss.Classes.SEEN, Distillation.Form.KL).compute(b, new StudentOutputs(student, b), ctx(teacher, ALL, ALL));
        assertEquals(0.0, v.item(), 1e-6, "KL of a distribution with itself");
        v.backward();
        double g = 0;
        for (Var p : student.trainableParameters().values()) if (p.grad() != null) g = Math.max(g, p.grad().abs().sum().item() / p.numel());
        assertEquals(0.0, g, 1e-6, "no gradient at the teacher (mean |grad| per parameter)");
        Var w = student.namedParameters().get("text_projection");
        w.data().copyFrom(w.data().add(new Rng(3).normal(DType.F32, 0, 0.5, w.data().dim(0), w.data().dim(1))));
        double moved = lwf(LwfLoss.Classes.SEEN, Distillation.Form.KL).compute(b, new StudentOutputs(student, b), ctx(teacher, ALL, ALL)).item();
        assertTrue(moved > 1e-4, "a moved text tower is pulled back: " + moved);
    }

    @Test
    void thePrintedFormStillPushesAtTheTeacher() {
        // Eq. 5 as printed is -sum p_new log p_old: at p_new = p_old its gradient is not zero (it sharpens
        // towards the teacher's arg-max), which is why the authors' KL is the default.
        Tensor logits = Tensor.of(new double[] {1, 2, 0.5, -1, 0, 3}, 2, 3);
        Var kl = Var.param(logits.copy()), pr = Var.param(logits.copy());
        Distillation.loss(kl, logits, 1, Distillation.Form.KL).backward();
        Distillation.loss(pr, logits, 1, Distillation.Form.PRINTED).backward();
        assertEquals(0.0, kl.grad().abs().sum().item(), 1e-12);
        assertTrue(pr.grad().abs().sum().item() > 1e-3);
    }

    @Test
    void previousClassesAreTheSeenOnesOutsideTheSession() {
        LwfLoss pre = lwf(LwfLoss.Classes.PREVIOUS, Distillation.Form.KL);
        assertArrayEquals(new int[] {0, 1}, pre.distilled(ctx(null, new int[] {2, 3}, new int[] {0, 1, 2, 3})));
        assertArrayEquals(new int[] {0, 1, 2, 3}, lwf(LwfLoss.Classes.SEEN, Distillation.Form.KL).distilled(ctx(null, new int[] {2, 3}, new int[] {0, 1, 2, 3})));
        Clip m = Fixtures.tinyClip(B);
        Batch b = batch(0, 1);
        assertEquals(0.0, pre.compute(b, new StudentOutputs(m, b), ctx(m, new int[] {0, 1}, new int[] {0, 1})).item(), 0.0, "session 1 has no previous classes");
    }

    @Test
    void pseudoSentencesHaveStartEndAndPaddingWhereTheAuthorsPutThem() {
        WordTokenizer tok = B.tokenizer();
        int m = 5, k = 40, ctx = tok.contextLength();
        int[] ids = PseudoSentences.draw(tok, k, m, new Rng(1)).toIntArray();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < k; i++) {
            assertEquals(tok.sot(), ids[i * ctx]);
            for (int j = 1; j < m - 1; j++) {
                int t = ids[i * ctx + j];
                assertTrue(t >= 0 && t < tok.sot(), "a word id: " + t);
                seen.add(t);
            }
            assertEquals(tok.eot(), ids[i * ctx + m - 1]);
            for (int j = m; j < ctx; j++) assertEquals(0, ids[i * ctx + j]);
        }
        assertTrue(seen.size() > 20, "draws spread over the vocabulary: " + seen.size());
        assertThrows(IllegalArgumentException.class, () -> PseudoSentences.draw(tok, 3, ctx + 1, new Rng(1)));
    }

    @Test
    void vrTextsAreFreshPerBatchKeptForZsclAndRealCaptionsForTheAblation() {
        TeacherContext c = ctx(null, ALL, ALL);
        Batch b1 = batch(0, 1, 2), b2 = batch(3, 4, 5);
        VrLoss fresh = new VrLoss(1, VrLoss.Source.FRESH, 8, 6, 1, Distillation.Form.KL, 9, null);
        assertArrayEquals(fresh.texts(b1, c).toIntArray(), fresh.texts(b1, c).toIntArray(), "a batch's draw is reproducible (resume)");
        assertFalse(java.util.Arrays.equals(fresh.texts(b1, c).toIntArray(), fresh.texts(b2, c).toIntArray()), "another batch, other sentences");
        VrLoss fixed = new VrLoss(1, VrLoss.Source.FIXED, 8, 6, 2, Distillation.Form.KL, 9, null);
        assertArrayEquals(fixed.texts(b1, c).toIntArray(), fixed.texts(b2, c).toIntArray(), "ZSCL: one set for the run");
        List<String> corpus = CaptionTemplates.fashion().corpus(FashionMnist.CLASSES);
        VrLoss caps = new VrLoss(1, VrLoss.Source.CAPTIONS, 8, 6, 1, Distillation.Form.KL, 9, corpus);
        int[] ids = caps.texts(b1, c).toIntArray();
        java.util.Set<String> encoded = new java.util.HashSet<>();
        for (String s : corpus) encoded.add(java.util.Arrays.toString(B.tokenizer().encode(s)));
        int ctxLen = B.tokenizer().contextLength();
        for (int i = 0; i < 8; i++) assertTrue(encoded.contains(java.util.Arrays.toString(java.util.Arrays.copyOfRange(ids, i * ctxLen, (i + 1) * ctxLen))), "row " + i + " is a corpus caption");
    }

    @Test
    void vrLossIsZeroAtTheTeacherAndUsesEachModelsOwnScale() {
        Clip student = Fixtures.tinyClip(B), teacher = student.deepCopy();
        teacher.freeze("*");
        Batch b = batch(0, 1, 2, 3);
        VrLoss vr = new VrLoss(1, VrLoss.Source.FRESH, 16, 6, 1, Distillation.Form.KL, 4, null);
        assertEquals(0.0, vr.compute(b, new StudentOutputs(student, b), ctx(teacher, ALL, ALL)).item(), 1e-6);
        // only the student's temperature moves: the distributions differ, so the term is positive
        student.logitScale().data().fill(student.logitScale().data().item() + 1);
        assertTrue(vr.compute(b, new StudentOutputs(student, b), ctx(teacher, ALL, ALL)).item() > 1e-5);
    }
}

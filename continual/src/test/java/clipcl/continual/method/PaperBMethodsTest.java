package clipcl.continual.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.Var;
import clipcl.clip.model.Clip;
import clipcl.continual.Fixtures;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.Session;
import clipcl.continual.data.SessionPlan;
import clipcl.continual.loss.ModXDistillation;
import clipcl.continual.loss.PaperBFixtures;
import clipcl.continual.train.Batch;
import clipcl.continual.train.BatchMaker;
import clipcl.continual.train.ContrastiveLoss;
import clipcl.continual.train.ParamMaps;
import clipcl.continual.train.Regularizer;
import clipcl.continual.train.StudentOutputs;
import clipcl.continual.train.TextEncoder;
import clipcl.continual.train.TrainConfig;
import clipcl.continual.train.UpdateOption;
import clipcl.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** EWC, DER and the registry of paper B's methods. */
class PaperBMethodsTest {
    static final Benchmark BENCH = Fixtures.benchmark();

    static MethodContext context(Clip model, int[] items, int batch) {
        TrainConfig tc = new TrainConfig(batch, 1, 1e-3, 0.1, "adamw", "cosine", 0.1, 1.0, "contrastive", false, true, true, 0, 3, 0);
        Session s = new Session(0, "phase 1", new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, items);
        return new MethodContext(model, null, s, null, BENCH.digitsTrain(), tc, UpdateOption.WM, 3,
                BatchMaker.of(BENCH.digitsTrain(), new ImageTensors(28, false), BENCH.digitCaptions(), new TextEncoder(BENCH.tokenizer()), 3));
    }

    @Test
    void registryParsesOptionsAndRejectsUnknownOnes() {
        assertInstanceOf(ClipCt.class, Methods.byName("clip-ct"));
        assertInstanceOf(ClipJt.class, Methods.byName("clip-jt"));
        ModX m = assertInstanceOf(ModX.class, Methods.byName("mod-x:alpha=10,rule=class,buffer=30"));
        assertEquals(10, m.lossTerms(null).get(0).weight());
        assertEquals(30, m.replayBuffer().capacity());
        assertEquals(null, ((ModX) Methods.byName("mod-x")).replayBuffer());
        assertEquals(ModXDistillation.DEFAULT_ALPHA, Methods.byName("mod-x").lossTerms(null).get(0).weight());
        assertTrue(Methods.byName("mod-x").needsTeacher());
        assertEquals(3000, Methods.byName("der").replayBuffer().capacity());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Methods.byName("mod-x:beta=1"));
        assertTrue(e.getMessage().contains("beta") && e.getMessage().contains("alpha"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Methods.byName("ewc:lambda=lots"));
        assertTrue(e.getMessage().contains("lambda"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Methods.byName("clip-ct:alpha=1"));
        assertThrows(IllegalArgumentException.class, () -> Methods.byName("mod-x:rule=nearest"));
        ClipJt jt = (ClipJt) Methods.byName("clip-jt:d0=false");
        SessionPlan plan = SessionPlan.stream(BENCH.digitsTrain(), 5, 1);
        assertEquals(1, jt.plan(plan).sessions().size());
    }

    @Test
    void ewcFisherIsTheMeanSquaredBatchGradientAndThePenaltyVanishesAtTheAnchor() {
        Clip model = Fixtures.tinyClip(BENCH);
        int[] items = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        MethodContext ctx = context(model, items, 6);
        Map<String, Tensor> f = Ewc.fisher(model, ctx, 1);
        // one batch: F = g^2 of that batch's contrastive loss, computed here independently
        int[] order = new clipcl.tensor.Rng(3L * 104729).permutation(items.length);
        int[] first = new int[6];
        for (int i = 0; i < 6; i++) first[i] = items[order[i]];
        Batch b = ctx.batches().of(first, 0);
        model.trainableParameters().values().forEach(Var::zeroGrad);
        new ContrastiveLoss(false).compute(b, new StudentOutputs(model, b), null).backward();
        String name = "text_projection";
        float[] g = model.trainableParameters().get(name).grad().toFloatArray();
        float[] fv = f.get(name).toFloatArray();
        double sum = 0;
        for (int i = 0; i < g.length; i++) {
            assertEquals((double) g[i] * g[i], fv[i], 1e-6 * Math.max(1, g[i] * g[i]));
            sum += fv[i];
        }
        assertTrue(sum > 0, "a Fisher of zeros would make EWC a no-op");
        Ewc ewc = new Ewc(10, 2);
        assertTrue(ewc.regularizers(ctx).isEmpty(), "no penalty before the first phase ends");
        ewc.endSession(ctx);
        Regularizer r = ewc.regularizers(ctx).get(0);
        assertEquals(5, r.weight());
        assertEquals(0, r.penalty(model).item(), 0);
        Var w = model.trainableParameters().get(name);
        w.data().copyFrom(w.data().add(0.1));
        assertTrue(r.penalty(model).item() > 0);
        // the state survives a checkpoint (as tensors: Fisher and anchor by parameter name)
        Ewc back = new Ewc(10, 2);
        Map<String, Tensor> saved = ewc.stateTensors();
        assertTrue(saved.containsKey("fisher." + name) && saved.containsKey("anchor." + name), saved.keySet().toString());
        Map<String, Tensor> copies = new java.util.LinkedHashMap<>();
        saved.forEach((n, t) -> copies.put(n, t.copy()));
        back.loadStateTensors(copies);
        assertEquals(r.penalty(model).item(), back.regularizers(ctx).get(0).penalty(model).item(), 1e-9);
    }

    @Test
    @SuppressWarnings("unchecked")
    void ewcAndDerMatchPyTorch() throws Exception {
        Map<String, Object> root = PaperBFixtures.root();
        Map<String, Object> e = (Map<String, Object>) root.get("ewc");
        Var theta = Var.param(PaperBFixtures.f64(PaperBFixtures.matrix(e.get("theta"))));
        double lambda = ((Number) e.get("lambda")).doubleValue();
        Var pen = ParamMaps.fisherDistance(Map.of("w", theta), Map.of("w", PaperBFixtures.f64(PaperBFixtures.matrix(e.get("anchor")))),
                Map.of("w", PaperBFixtures.f64(PaperBFixtures.matrix(e.get("fisher"))))).mul(lambda / 2);
        assertEquals(((Number) e.get("loss")).doubleValue(), pen.item(), 1e-10);
        pen.backward();
        assertArrayEquals(PaperBFixtures.flat(PaperBFixtures.matrix(e.get("grad"))), theta.grad().toDoubleArray(), 1e-10);

        Map<String, Object> d = (Map<String, Object>) root.get("der");
        double[][] feats = PaperBFixtures.matrix(d.get("features")), stored = PaperBFixtures.matrix(d.get("stored"));
        Var f = Var.param(PaperBFixtures.f64(feats));
        Map<Integer, float[]> mem = new HashMap<>();
        for (int i = 0; i < stored.length; i++) {
            float[] s = new float[stored[i].length];
            for (int k = 0; k < s.length; k++) s[k] = (float) stored[i][k];
            mem.put(100 + i, s);
        }
        Batch batch = new Batch(new int[] {1, 2, 3, 100, 101}, new int[5], null, List.of("a", "b", "c", "d", "e"), null, 2);
        Var t = Der.term(batch, f, mem);
        assertEquals(((Number) d.get("loss")).doubleValue(), t.item(), 1e-6);  // stored values are float
        t.backward();
        assertArrayEquals(PaperBFixtures.flat(PaperBFixtures.matrix(d.get("grad"))), f.grad().toDoubleArray(), 1e-6);
        Batch none = new Batch(new int[] {1, 2}, new int[2], null, List.of("a", "b"), null, 0);
        assertEquals(0, Der.term(none, f, mem).item());
    }

    @Test
    void derStoresEmbeddingsOfBufferedItemsAndForgetsEvictedOnes() {
        Clip model = Fixtures.tinyClip(BENCH);
        Der der = new Der(1, 4, true);
        for (int i = 0; i < 4; i++) der.replayBuffer().offer(i, BENCH.digitsTrain().labels()[i], null);
        MethodContext ctx = context(model, new int[] {0, 1, 2, 3, 4, 5}, 6);
        der.beginSession(ctx);
        Map<String, Object> st = der.state();
        Map<?, ?> stored = (Map<?, ?>) st.get("stored");
        assertEquals(4, stored.size());
        Tensor direct = model.encodeImages(new ImageTensors(28, false).of(BENCH.digitsTrain(), new int[] {2}, null), 1);
        float[] d = direct.toFloatArray();
        double n = 0;
        for (float x : d) n += x * x;
        List<?> s2 = (List<?>) stored.get("2");
        for (int k = 0; k < d.length; k++) assertEquals(d[k] / Math.sqrt(n), ((Number) s2.get(k)).doubleValue(), 1e-5);
        Der back = new Der(1, 4, true);
        back.loadState(new LinkedHashMap<>(st));
        assertEquals(4, ((Map<?, ?>) back.state().get("stored")).size());
    }
}

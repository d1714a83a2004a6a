package clipcl.continual.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.clip.model.Clip;
import clipcl.continual.Fixtures;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.ReplayBuffer;
import clipcl.continual.data.SessionPlan;
import clipcl.continual.protocol.Protocol;
import clipcl.continual.protocol.Study;
import clipcl.continual.protocol.StudyConfig;
import clipcl.continual.report.RunResult;
import clipcl.continual.train.LossTerm;
import clipcl.continual.train.ParamMaps;
import clipcl.continual.train.Regularizer;
import clipcl.continual.train.RunFolder;
import clipcl.continual.train.SessionListener;
import clipcl.continual.train.TrainConfig;
import clipcl.continual.train.UpdateOption;
import clipcl.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paper A's methods through the real session loop on the tiny benchmark: every method runs under OST,
 * MST and stream, and what the update option (or the method) freezes is bit for bit CLIP_0's afterwards.
 */
class PaperAMethodsStudyTest {
    static final Benchmark BENCH = Fixtures.benchmark();
    static final ImageTensors IMAGES = new ImageTensors(28, false);

    static StudyConfig config(String method, Protocol p, UpdateOption u) {
        TrainConfig tc = new TrainConfig(6, 1, 1e-2, 0.1, "adamw", "cosine", 0.1, 1.0, p.defaultObjective(), false, true, true, 0, 50, 0);
        return new StudyConfig(method, p, u, 5, tc, 30, 2, 5, null);
    }

    /** The named method, with the model it trained kept for inspection. */
    static final class Keeping implements Method {
        final Method inner;
        Clip model;

        Keeping(String spec) { inner = Methods.byName(spec); }

        @Override public String name() { return inner.name(); }
        @Override public SessionPlan plan(SessionPlan p) { return inner.plan(p); }
        @Override public boolean needsTeacher() { return inner.needsTeacher(); }
        @Override public void beginSession(MethodContext c) { model = c.model(); inner.beginSession(c); }
        @Override public List<LossTerm> lossTerms(MethodContext c) { return inner.lossTerms(c); }
        @Override public List<Regularizer> regularizers(MethodContext c) { return inner.regularizers(c); }
        @Override public void endSession(MethodContext c) { inner.endSession(c); }
        @Override public void afterEvaluate(MethodContext c) { inner.afterEvaluate(c); }
        @Override public ReplayBuffer replayBuffer() { return inner.replayBuffer(); }
    }

    static Keeping run(String spec, Protocol p, UpdateOption u, Clip clip0, Path dir) throws IOException {
        Keeping k = new Keeping(spec);
        RunResult r = new Study(config(spec, p, u), k, BENCH, clip0, IMAGES, SessionListener.NONE).run(RunFolder.open(dir, false));
        assertNotNull(r, spec);
        for (Map<String, Double> m : r.sessions()) {
            for (String key : List.of("ut_acc", "zs_acc")) assertTrue(Double.isFinite(m.get(key)), spec + " " + p + ": " + key + " " + m.get(key));
        }
        for (Map<String, Double> l : r.losses()) assertTrue(Double.isFinite(l.get("total")), spec + " " + p + ": loss " + l);
        return k;
    }

    /** Parameters outside the given prefix test are the same bits as in clip0. */
    static void assertFrozenUnchanged(Clip clip0, Clip model, UpdateOption u, String what) {
        Map<String, Tensor> before = ParamMaps.snapshot(clip0);
        Map<String, clipcl.autograd.Var> now = model.namedParameters();
        int checked = 0, changed = 0;
        for (Map.Entry<String, Tensor> e : before.entrySet()) {
            String n = e.getKey();
            boolean visual = n.startsWith("visual.");
            boolean trained = switch (u) {
                case WM -> true;
                case IO -> visual;
                case TO -> !visual && !n.equals("logit_scale");
            };
            float[] b = e.getValue().toFloatArray(), a = now.get(n).data().toFloatArray();
            if (!trained) {
                assertArrayEquals(b, a, 0f, what + ": frozen '" + n + "' changed");
                checked++;
            } else if (!java.util.Arrays.equals(b, a)) {
                changed++;
            }
        }
        if (u != UpdateOption.WM) assertTrue(checked > 0, what + ": nothing was frozen");
        assertTrue(changed > 0, what + ": nothing trained");
    }

    @Test
    void everyMethodRunsUnderEveryProtocolAndKeepsFrozenTowersBitForBit(@TempDir Path dir) throws IOException {
        Clip clip0 = Fixtures.tinyClip(BENCH);
        int i = 0;
        for (String m : List.of("lwf", "geodl", "imm", "vr-lwf", "joint-ft")) {
            for (Protocol p : Protocol.values()) {
                UpdateOption u = UpdateOption.values()[i++ % 3];
                Keeping k = run(m, p, u, clip0, dir.resolve(m + "-" + p.id()));
                assertFrozenUnchanged(clip0, k.model, u, m + " " + p.id() + " " + u.id());
            }
        }
    }

    @Test
    void rkrTrainsOnlyItsRectifiersAndLeavesClipBitForBit(@TempDir Path dir) throws IOException {
        Clip clip0 = Fixtures.tinyClip(BENCH);
        for (String spec : List.of("rkr", "rkr:variant=lowrank")) {
            Keeping k = run(spec, Protocol.MST, UpdateOption.IO, clip0, dir.resolve(spec.replace(':', '_').replace("=", "")));
            Map<String, Tensor> base = ParamMaps.snapshot(clip0);
            Map<String, clipcl.autograd.Var> now = k.model.namedParameters();
            int rect = 0, movedRect = 0;
            for (Map.Entry<String, clipcl.autograd.Var> e : now.entrySet()) {
                Tensor b = base.get(e.getKey());
                if (b != null) {
                    assertArrayEquals(b.toFloatArray(), e.getValue().data().toFloatArray(), 0f, spec + ": CLIP parameter '" + e.getKey() + "' changed");
                } else {
                    assertTrue(e.getKey().startsWith("visual.") && e.getKey().contains("_parametrization."), spec + ": unexpected parameter " + e.getKey());
                    rect++;
                    float[] v = e.getValue().data().toFloatArray();
                    boolean init = true;
                    for (float f : v) init &= f == 1f || f == 0f;
                    if (!init || e.getKey().endsWith(".a")) movedRect++;
                }
            }
            assertTrue(rect > 0, spec + ": no rectifier installed");
            assertTrue(movedRect > 0, spec + ": the rectifiers did not train");
        }
    }

    @Test
    void unknownOptionsAreRefusedByName() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Methods.byName("lwf:bta=2"));
        assertTrue(e.getMessage().contains("bta"), e.getMessage());
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Methods.byName("vr-lwf:variant=foo")).getMessage().contains("authors|zscl|captions"));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Methods.byName("ft:beta=1")).getMessage().contains("beta"));
        assertEquals("vr-lwf", Methods.byName("vr-lwf:beta=2,variant=zscl").name());
        assertFalse(Methods.NAMES.isEmpty());
    }
}

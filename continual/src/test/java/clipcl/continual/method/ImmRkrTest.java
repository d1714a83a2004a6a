package clipcl.continual.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.Var;
import clipcl.clip.model.Clip;
import clipcl.continual.Fixtures;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.Session;
import clipcl.continual.train.UpdateOption;
import clipcl.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** IMM's merge (for evaluation only, or kept) and RKR's rectifiers starting as the identity. */
class ImmRkrTest {
    static final Benchmark B = Fixtures.benchmark();

    static MethodContext ctx(Clip m, UpdateOption u) {
        return new MethodContext(m, null, new Session(0, "s", new int[] {0}, new int[] {0}), null, B.digitsTrain(), null, u, 1, null);
    }

    static float[] values(Clip m, String name) { return m.namedParameters().get(name).data().toFloatArray(); }

    static void shift(Clip m, String name, double by) {
        Var p = m.namedParameters().get(name);
        p.data().copyFrom(p.data().add(by));
    }

    @Test
    void immMergesTheTrainedTowerForEvaluationThenRestoresTheUnmergedWeights() {
        for (String mode : new String[] {"eval", "continue"}) {
            Clip m = Fixtures.tinyClip(B);
            UpdateOption.IO.apply(m);
            Imm imm = new Imm(MethodOptions.parse("imm:alpha=0.25,mode=" + mode));
            MethodContext c = ctx(m, UpdateOption.IO);
            imm.beginSession(c);
            String vis = "visual.proj", txt = "text_projection";
            float[] v0 = values(m, vis), t0 = values(m, txt);
            shift(m, vis, 1.0);   // as if training moved the image tower by 1 everywhere
            float[] v1 = values(m, vis);
            imm.endSession(c);
            float[] merged = values(m, vis);
            for (int i = 0; i < v0.length; i++) assertEquals(0.75 * v0[i] + 0.25 * v1[i], merged[i], 1e-6, mode + ": merged value " + i);
            assertArrayEquals(t0, values(m, txt), 0f, mode + ": the frozen tower is not touched");
            imm.afterEvaluate(c);
            if (mode.equals("eval")) assertArrayEquals(v1, values(m, vis), 0f, "eval: training goes on from the unmerged weights");
            else assertArrayEquals(merged, values(m, vis), 0f, "continue: the merge is kept");
        }
    }

    @Test
    void rkrRectifiersStartAsTheIdentityAndAreTheOnlyTrainableParameters() {
        Tensor images = new ImageTensors(28, false).of(B.digitsTrain(), new int[] {0, 1, 2}, null);
        Tensor ids = new clipcl.continual.train.TextEncoder(B.tokenizer()).ids(java.util.List.of("a photo of the 1.", "a photo of the 7."));
        for (String spec : new String[] {"rkr", "rkr:variant=lowrank,rank=2"}) {
            Clip m = Fixtures.tinyClip(B);
            float[] img0 = m.encodeImages(images, 8).toFloatArray(), txt0 = m.encodeTexts(ids, 8).toFloatArray();
            Rkr r = (Rkr) Methods.byName(spec);
            UpdateOption.WM.apply(m);
            r.beginSession(ctx(m, UpdateOption.WM));
            assertFalse(r.installed().isEmpty());
            assertArrayEquals(img0, m.encodeImages(images, 8).toFloatArray(), 0f, spec + ": image tower unchanged at install");
            assertArrayEquals(txt0, m.encodeTexts(ids, 8).toFloatArray(), 0f, spec + ": text tower unchanged at install");
            for (String n : m.trainableParameters().keySet()) assertTrue(n.contains("_parametrization."), spec + ": '" + n + "' should be frozen");
            assertTrue(m.trainableParameters().size() > 0);
            // a scale of 2 on one block's branch changes the image features: the hook is live
            String scale = m.trainableParameters().keySet().stream().filter(n -> n.startsWith("visual.") && n.endsWith("scale")).findFirst().orElseThrow();
            m.namedParameters().get(scale).data().fill(2.0);
            assertFalse(java.util.Arrays.equals(img0, m.encodeImages(images, 8).toFloatArray()), spec + ": the scale acts");
        }
    }
}

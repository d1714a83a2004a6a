package clipcl.autograd.optim;

import clipcl.tensor.cpu.UpdateKernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.Var;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimizerTest {
    private static float[] rand(Rng r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return a;
    }

    @Test
    void vectorAndScalarLoopsAreBitIdentical() {
        Rng r = new Rng(3);
        int n = 1000 + 13; // a scalar tail, and offsets that are not lane-aligned
        float[] p1 = rand(r, n + 5, 1), g = rand(r, n + 3, 0.1), m1 = rand(r, n, 0.01), v1 = rand(r, n, 1e-4);
        for (int i = 0; i < n; i++) v1[i] = Math.abs(v1[i]);
        float[] p2 = p1.clone(), m2 = m1.clone(), v2 = v1.clone();
        var c = new UpdateKernels.AdamF(0.999f, 0.01f, 0.9f, 0.1f, 0.999f, 0.001f, 0.3f, 1e-8f, -0.01f);
        UpdateKernels.adamF32(p1, 5, g, 3, m1, v1, 0, n, c);
        UpdateKernels.adamF32Scalar(p2, 5, g, 3, m2, v2, 0, n, c);
        assertArrayEquals(p2, p1);
        assertArrayEquals(m2, m1);
        assertArrayEquals(v2, v1);
        float[] q1 = rand(r, n + 2, 1), b1 = rand(r, n, 0.1);
        float[] q2 = q1.clone(), b2 = b1.clone();
        for (boolean nest : new boolean[] {false, true}) {
            UpdateKernels.sgdF32(q1, 2, g, 3, b1, false, 0, n, 0.01f, 0.9f, 0.9f, nest, -0.1f);
            UpdateKernels.sgdF32Scalar(q2, 2, g, 3, b2, false, 0, n, 0.01f, 0.9f, 0.9f, nest, -0.1f);
            assertArrayEquals(q2, q1);
            assertArrayEquals(b2, b1);
        }
    }

    /** AdamW in F64 against the algorithm written out here (eps added to sqrt of the corrected v, as torch). */
    @Test
    void adamWInDoubleFollowsTheAlgorithm() {
        Rng r = new Rng(5);
        int n = 9;
        Var p = Var.param(r.uniform(DType.F64, -1, 1, 3, 3));
        double[] want = p.data().toDoubleArray(), m = new double[n], v = new double[n];
        AdamW opt = new AdamW(List.of(new ParamGroup("all", Map.of("p", p), 0.05)), 0.01, 0.9, 0.95, 1e-6);
        for (int t = 1; t <= 4; t++) {
            Tensor g = r.normal(DType.F64, 0, 1, 3, 3);
            double[] gd = g.toDoubleArray();
            p.setGrad(g);
            double lr = 0.01 * t;
            opt.setLr(lr);
            opt.step();
            for (int i = 0; i < n; i++) {
                want[i] *= 1 - lr * 0.05;
                m[i] = 0.9 * m[i] + 0.1 * gd[i];
                v[i] = 0.95 * v[i] + 0.05 * gd[i] * gd[i];
                double mh = m[i] / (1 - Math.pow(0.9, t)), vh = v[i] / (1 - Math.pow(0.95, t));
                want[i] -= lr * mh / (Math.sqrt(vh) + 1e-6);
            }
        }
        assertArrayEquals(want, p.data().toDoubleArray(), 1e-12);
        assertEquals(4, opt.state("p").step());
    }

    @Test
    void frozenParametersAndParametersWithoutGradientStayPut() {
        Var a = Var.param(Tensor.of(new float[] {1, 2}, 2)), b = Var.param(Tensor.of(new float[] {3, 4}, 2));
        Sgd opt = new Sgd(List.of(new ParamGroup("g", Map.of("a", a, "b", b), 0)), 0.5, 0);
        a.setGrad(Tensor.of(new float[] {1, 1}, 2));
        b.setRequiresGrad(false);
        b.setGrad(Tensor.of(new float[] {1, 1}, 2));
        opt.step();
        assertArrayEquals(new float[] {0.5f, 1.5f}, a.data().toFloatArray());
        assertArrayEquals(new float[] {3, 4}, b.data().toFloatArray());
        opt.zeroGrad();
        assertEquals(null, a.grad());
        opt.step(); // no gradients: nothing happens
        assertArrayEquals(new float[] {0.5f, 1.5f}, a.data().toFloatArray());
    }

    @Test
    void openClipGroupsExcludeGainsBiasesAndLogitScale() {
        Map<String, Var> named = new LinkedHashMap<>();
        named.put("visual.conv1.weight", Var.param(Tensor.zeros(DType.F32, 4, 3, 2, 2)));
        named.put("visual.ln_pre.weight", Var.param(Tensor.zeros(DType.F32, 4)));
        named.put("transformer.resblocks.0.attn.in_proj_weight", Var.param(Tensor.zeros(DType.F32, 12, 4)));
        named.put("transformer.resblocks.0.attn.in_proj_bias", Var.param(Tensor.zeros(DType.F32, 12)));
        named.put("token_embedding.weight", Var.param(Tensor.zeros(DType.F32, 10, 4)));
        named.put("positional_embedding", Var.param(Tensor.zeros(DType.F32, 5, 4)));
        named.put("logit_scale", Var.param(Tensor.zeros(DType.F32)));
        named.put("frozen.weight", new Var(Tensor.zeros(DType.F32, 4, 4), false));
        List<ParamGroup> gs = ParamGroups.openClip(named, 0.2);
        assertEquals(List.of("visual.ln_pre.weight", "transformer.resblocks.0.attn.in_proj_bias", "logit_scale"), List.copyOf(gs.get(0).params().keySet()));
        assertEquals(0.0, gs.get(0).weightDecay());
        assertEquals(List.of("visual.conv1.weight", "transformer.resblocks.0.attn.in_proj_weight", "token_embedding.weight", "positional_embedding"),
                List.copyOf(gs.get(1).params().keySet()));
        assertEquals(0.2, gs.get(1).weightDecay());
        List<ParamGroup> noEmb = ParamGroups.decayAndNoDecay(named, 0.2, ParamGroups.openClipNoDecay(true));
        assertEquals(List.of("visual.conv1.weight", "transformer.resblocks.0.attn.in_proj_weight"), List.copyOf(noEmb.get(1).params().keySet()));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(gs.get(0), gs.get(0)), 0.1));
    }

    /** Saving and loading state mid-run continues exactly as the uninterrupted optimizer. */
    @Test
    void stateRoundTripContinuesBitIdentically() {
        for (String kind : List.of("sgd", "adamw")) {
            Rng r = new Rng(11);
            float[] init = rand(r, 70_000, 1); // above PARALLEL_MIN: the threaded path too
            Var a = Var.param(Tensor.of(init.clone(), 70_000)), b = Var.param(Tensor.of(init.clone(), 70_000));
            Optimizer oa = make(kind, a), ob = make(kind, b);
            Rng gr = new Rng(12);
            for (int s = 0; s < 3; s++) {
                Tensor g = gr.normal(DType.F32, 0, 1, 70_000);
                a.setGrad(g);
                b.setGrad(g.copy());
                oa.step();
                ob.step();
            }
            Map<String, Tensor> saved = new LinkedHashMap<>();
            ob.stateTensors().forEach((k, t) -> saved.put(k, t.copy()));
            Map<String, Object> json = clipcl.tensor.io.Json.parseObject(clipcl.tensor.io.Json.write(ob.stateJson()));
            Optimizer oc = make(kind, b);
            oc.loadState(saved, json);
            for (int s = 0; s < 3; s++) {
                Tensor g = gr.normal(DType.F32, 0, 1, 70_000);
                a.setGrad(g);
                b.setGrad(g.copy());
                oa.step();
                oc.step();
            }
            assertArrayEquals(a.data().toFloatArray(), b.data().toFloatArray(), kind);
        }
    }

    private static Optimizer make(String kind, Var p) {
        List<ParamGroup> g = List.of(new ParamGroup("all", Map.of("w", p), 0.01));
        return kind.equals("sgd") ? new Sgd(g, 0.1, 0.9, 0, true) : new AdamW(g, 0.01);
    }

    @Test
    void loadingMismatchedStateNamesEveryProblem() {
        Var p = Var.param(Tensor.zeros(DType.F32, 2, 3));
        AdamW opt = new AdamW(List.of(new ParamGroup("all", Map.of("w", p), 0)), 0.1);
        Map<String, Object> json = new LinkedHashMap<>(opt.stateJson());
        json.put("steps", Map.of("w", 2L, "ghost", 1L));
        Map<String, Tensor> t = Map.of("w.exp_avg", Tensor.zeros(DType.F32, 3, 2), "w.extra", Tensor.zeros(DType.F32, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.loadState(t, json));
        String msg = e.getMessage();
        assertTrue(msg.contains("ghost") && msg.contains("w.exp_avg_sq") && msg.contains("w.exp_avg [3, 2]") && msg.contains("w.extra"), msg);
        Map<String, Object> wrongType = new LinkedHashMap<>(json);
        wrongType.put("type", "sgd");
        assertThrows(IllegalArgumentException.class, () -> opt.loadState(Map.of(), wrongType));
    }
}

package clipcl.autograd.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.Var;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Optimizers, clipping and schedules against PyTorch 1.13 and open_clip's scheduler formulas
 * (fixture written by tools/reference/make_golden_optim.py, float32 throughout).
 */
class OptimizerGoldenTest {
    @SuppressWarnings("unchecked")
    static Map<String, Object> fixture() throws IOException {
        try (InputStream in = OptimizerGoldenTest.class.getResourceAsStream("/golden/optim.json")) {
            if (in == null) throw new IOException("golden/optim.json missing from test resources; run tools/reference/make_golden_optim.py");
            return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @SuppressWarnings("unchecked")
    static float[] floats(Object list) {
        List<Object> l = (List<Object>) list;
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = ((Number) l.get(i)).floatValue();
        return a;
    }

    @SuppressWarnings("unchecked")
    static int[] ints(Object list) {
        return ((List<Object>) list).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
    }

    static void assertClose(String what, float[] want, float[] got, double rtol, double atol) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(want[i] - got[i]);
            assertTrue(err <= atol + rtol * Math.abs(want[i]), what + "[" + i + "]: want " + want[i] + ", got " + got[i] + " (error " + err + ")");
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void everyOptimizerFollowsPyTorchForFiveSteps() throws IOException {
        Map<String, Object> f = fixture();
        Map<String, Object> shapes = (Map<String, Object>) f.get("shapes");
        Map<String, Object> init = (Map<String, Object>) f.get("init");
        List<Object> grads = (List<Object>) f.get("grads");
        List<Object> lrs = (List<Object>) f.get("lrs");
        Map<String, Object> cases = (Map<String, Object>) f.get("cases");
        assertEquals(6, cases.size());
        for (Map.Entry<String, Object> c : cases.entrySet()) {
            Map<String, Object> cm = (Map<String, Object>) c.getValue();
            Map<String, Object> spec = (Map<String, Object>) cm.get("spec");
            Map<String, Var> params = new LinkedHashMap<>();
            for (String n : shapes.keySet()) params.put(n, Var.param(Tensor.of(floats(init.get(n)), ints(shapes.get(n)))));
            double wd = ((Number) spec.get("wd")).doubleValue();
            List<ParamGroup> groups = List.of(new ParamGroup("w", Map.of("a.weight", params.get("a.weight")), wd),
                    new ParamGroup("b", Map.of("a.bias", params.get("a.bias")), 0.0));
            double lr0 = ((Number) lrs.get(0)).doubleValue();
            Optimizer opt = build(spec, groups, lr0);
            List<Object> traj = (List<Object>) cm.get("trajectory");
            for (int step = 0; step < traj.size(); step++) {
                opt.setLr(((Number) lrs.get(step)).doubleValue());
                Map<String, Object> g = (Map<String, Object>) grads.get(step);
                for (String n : shapes.keySet()) params.get(n).setGrad(Tensor.of(floats(g.get(n)), ints(shapes.get(n))));
                opt.step();
                Map<String, Object> want = (Map<String, Object>) traj.get(step);
                for (String n : shapes.keySet()) {
                    assertClose(c.getKey() + " step " + (step + 1) + " " + n, floats(want.get(n)), params.get(n).data().toFloatArray(), 2e-6, 1e-7);
                }
            }
        }
    }

    static Optimizer build(Map<String, Object> spec, List<ParamGroup> groups, double lr) {
        String kind = (String) spec.get("kind");
        double mom = ((Number) spec.getOrDefault("momentum", 0.0)).doubleValue();
        double damp = ((Number) spec.getOrDefault("dampening", 0.0)).doubleValue();
        boolean nest = Boolean.TRUE.equals(spec.get("nesterov"));
        double eps = ((Number) spec.getOrDefault("eps", 1e-8)).doubleValue();
        @SuppressWarnings("unchecked")
        List<Object> betas = (List<Object>) spec.get("betas");
        double b1 = betas.isEmpty() ? 0.9 : ((Number) betas.get(0)).doubleValue();
        double b2 = betas.isEmpty() ? 0.999 : ((Number) betas.get(1)).doubleValue();
        return switch (kind) {
            case "sgd" -> new Sgd(groups, lr, mom, damp, nest);
            case "adam" -> new Adam(groups, lr, b1, b2, eps);
            case "adamw" -> new AdamW(groups, lr, b1, b2, eps);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @SuppressWarnings("unchecked")
    @Test
    void clipByGlobalNormMatchesTorch() throws IOException {
        Map<String, Object> f = fixture();
        Map<String, Object> shapes = (Map<String, Object>) f.get("shapes");
        Map<String, Object> clip = (Map<String, Object>) f.get("clip");
        Map<String, Object> g0 = (Map<String, Object>) ((List<Object>) f.get("grads")).get(0);
        List<Var> ps = new ArrayList<>();
        for (String n : shapes.keySet()) {
            Var v = Var.param(Tensor.zeros(clipcl.tensor.DType.F32, ints(shapes.get(n))));
            v.setGrad(Tensor.of(floats(g0.get(n)), ints(shapes.get(n))));
            ps.add(v);
        }
        double norm = GradClip.clipGlobalNorm(ps, ((Number) clip.get("max_norm")).doubleValue());
        assertEquals(((Number) clip.get("norm")).doubleValue(), norm, 1e-6 * norm);
        Map<String, Object> clipped = (Map<String, Object>) clip.get("clipped");
        int k = 0;
        for (String n : shapes.keySet()) assertClose("clipped " + n, floats(clipped.get(n)), ps.get(k++).grad().toFloatArray(), 1e-6, 1e-8);
        // Below the threshold nothing changes.
        float[] before = ps.get(0).grad().toFloatArray();
        GradClip.clipGlobalNorm(ps, 100);
        assertClose("unclipped", before, ps.get(0).grad().toFloatArray(), 0, 0);
    }

    @SuppressWarnings("unchecked")
    @Test
    void schedulesMatchOpenClipAndStepLr() throws IOException {
        Map<String, Object> s = (Map<String, Object>) fixture().get("schedules");
        Map<String, Object> cos = (Map<String, Object>) s.get("cosine");
        check(new Schedule.CosineWarmup(0.1, 3, 10), (List<Object>) cos.get("lrs"));
        Map<String, Object> con = (Map<String, Object>) s.get("constant");
        check(new Schedule.Constant(0.1, 4), (List<Object>) con.get("lrs"));
        Map<String, Object> st = (Map<String, Object>) s.get("step");
        check(new Schedule.StepDecay(0.1, 3, 0.5), (List<Object>) st.get("lrs"));
    }

    private static void check(Schedule sch, List<Object> want) {
        for (int i = 0; i < want.size(); i++) {
            double w = ((Number) want.get(i)).doubleValue();
            assertEquals(w, sch.lr(i), 1e-15, sch + " at step " + i);
        }
        assertEquals(sch, Schedule.fromJson(sch.toJson()));
    }
}

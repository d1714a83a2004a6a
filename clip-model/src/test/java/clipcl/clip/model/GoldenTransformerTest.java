package clipcl.clip.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.Var;
import clipcl.autograd.nn.Init;
import clipcl.autograd.optim.AdamW;
import clipcl.autograd.optim.Optimizer;
import clipcl.autograd.optim.ParamGroup;
import clipcl.autograd.optim.ParamGroups;
import clipcl.autograd.optim.Schedule;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.Json;
import clipcl.tensor.io.Safetensors;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole stack against PyTorch 1.13 (fixtures from tools/reference/make_golden_transformer.py):
 * OpenAI CLIP's 2-block transformer (width 64, 4 heads, seq 10, batch 3, causal mask, QuickGELU,
 * packed in_proj) in float32, loss mean(y^2): the output and loss (1e-5 relative), every parameter's
 * gradient (1e-4), and the parameters after 3 AdamW steps under warm-up + cosine with open_clip's
 * parameter groups (1e-4). "Relative" here is |got - want| <= rtol * (|want| + max|want|) per tensor,
 * so entries near zero are judged on the tensor's scale.
 */
class GoldenTransformerTest {
    private static final double FWD = 1e-5, BWD = 1e-4;

    @SuppressWarnings("unchecked")
    @Test
    void matchesPyTorchForwardBackwardAndAdamW() throws Exception {
        Map<String, Object> spec;
        try (InputStream in = getClass().getResourceAsStream("/golden/transformer.json")) {
            spec = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        int width = num(spec, "width"), heads = num(spec, "heads"), layers = num(spec, "layers"), seq = num(spec, "seq"), batch = num(spec, "batch");
        Transformer model = new Transformer(width, layers, heads, Init.f32(0));
        Map<String, Boolean> noDecay = new HashMap<>();
        for (Object o : (List<Object>) spec.get("params")) {
            Map<String, Object> p = (Map<String, Object>) o;
            String name = (String) p.get("name");
            int[] shape = ((List<Object>) p.get("shape")).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
            Tensor init = new Rng(((Number) p.get("seed")).longValue()).uniform(DType.F32, dbl(p, "lo"), dbl(p, "hi"), shape);
            model.parameter(name).data().copyFrom(init);
            noDecay.put(name, (Boolean) p.get("no_decay"));
        }
        Map<String, Object> o = (Map<String, Object>) spec.get("optimizer");
        List<Object> betas = (List<Object>) o.get("betas");
        List<ParamGroup> groups = ParamGroups.openClip(model.namedParameters(), dbl(o, "weight_decay"));
        for (ParamGroup g : groups) for (String n : g.params().keySet()) assertEquals(noDecay.get(n), g.weightDecay() == 0, n);
        Optimizer opt = new AdamW(groups, 0, ((Number) betas.get(0)).doubleValue(), ((Number) betas.get(1)).doubleValue(), dbl(o, "eps"));
        Map<String, Object> s = (Map<String, Object>) spec.get("schedule");
        Schedule sched = new Schedule.CosineWarmup(dbl(s, "base_lr"), num(s, "warmup"), num(s, "steps"));
        Tensor mask = MultiheadAttention.causalMask(seq, DType.F32);
        List<Object> inputs = (List<Object>) spec.get("inputs"), losses = (List<Object>) spec.get("losses"), lrs = (List<Object>) spec.get("lrs");

        for (int step = 0; step < inputs.size(); step++) {
            Map<String, Object> in = (Map<String, Object>) inputs.get(step);
            Tensor x = new Rng(((Number) in.get("seed")).longValue()).uniform(DType.F32, dbl(in, "lo"), dbl(in, "hi"), batch, seq, width);
            assertEquals(((Number) lrs.get(step)).doubleValue(), sched.apply(opt, step), 1e-15);
            opt.zeroGrad();
            Var y = model.forward(Var.constant(x), mask);
            Var loss = y.square().mean();
            loss.backward();
            double want = ((Number) losses.get(step)).doubleValue();
            assertEquals(want, loss.item(), FWD * Math.abs(want), "loss at step " + step);
            if (step == 0) {
                compare("output", Safetensors.readAll(resource("transformer_out.safetensors")).get("output"), y.data(), FWD);
                for (int b = 0; b < layers; b++) {
                    for (Map.Entry<String, Tensor> e : Safetensors.readAll(resource("transformer_grads_block" + b + ".safetensors")).entrySet()) {
                        compare("grad " + e.getKey(), e.getValue(), model.parameter(e.getKey()).grad(), BWD);
                    }
                }
            }
            opt.step();
        }
        int checked = 0;
        for (int b = 0; b < layers; b++) {
            for (Map.Entry<String, Tensor> e : Safetensors.readAll(resource("transformer_after_block" + b + ".safetensors")).entrySet()) {
                compare("after 3 steps " + e.getKey(), e.getValue(), model.parameter(e.getKey()).data(), BWD);
                checked++;
            }
        }
        assertEquals(model.namedParameters().size(), checked);
        System.out.println("golden transformer vs PyTorch, worst |err|/(|want|+max|want|): " + worst);
    }

    /** Largest error / (|want| + scale) seen per kind, printed at the end for the record. */
    private final Map<String, Double> worst = new java.util.TreeMap<>();

    void compare(String what, Tensor want, Tensor got, double rtol) {
        assertTrue(got != null, what + ": missing");
        assertEquals(want.shape(), got.shape(), what + ": shape");
        float[] w = want.toFloatArray(), g = got.toFloatArray();
        double scale = 0;
        for (float v : w) scale = Math.max(scale, Math.abs(v));
        String kind = what.split(" ")[0];
        for (int i = 0; i < w.length; i++) {
            double err = Math.abs(g[i] - w[i]);
            worst.merge(kind, err / (Math.abs(w[i]) + scale), Math::max);
            if (err > rtol * (Math.abs(w[i]) + scale)) {
                throw new AssertionError(what + "[" + i + "]: PyTorch " + w[i] + ", ours " + g[i] + " (error " + err + ", tensor scale " + scale + ")");
            }
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(GoldenTransformerTest.class.getResource("/golden/" + name).toURI());
    }

    private static int num(Map<String, Object> m, String k) { return ((Number) m.get(k)).intValue(); }

    private static double dbl(Map<String, Object> m, String k) { return ((Number) m.get(k)).doubleValue(); }
}

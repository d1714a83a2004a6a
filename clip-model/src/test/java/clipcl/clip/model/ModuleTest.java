package clipcl.clip.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.Var;
import clipcl.autograd.nn.Init;
import clipcl.autograd.nn.LayerNorm;
import clipcl.autograd.nn.Linear;
import clipcl.autograd.nn.Mlp;
import clipcl.autograd.nn.Module;
import clipcl.autograd.nn.ParamMath;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleTest {
    /** A two-level container like CLIP's: visual.transformer.resblocks.N..., visual.ln_post, logit_scale. */
    static final class Tower extends Module {
        Tower(Init init) {
            registerModule("transformer", new Transformer(16, 2, 2, init));
            registerModule("ln_post", new LayerNorm(16, init));
        }
    }

    static final class Clipish extends Module {
        Clipish(Init init) {
            registerModule("visual", new Tower(init));
            registerParameter("logit_scale", Tensor.full(Math.log(1 / 0.07), init.dtype()));
            registerBuffer("attn_mask", MultiheadAttention.causalMask(4, init.dtype()), false);
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void blockNamesAndShapesAreExactlyPyTorchs() throws IOException {
        Map<String, Object> spec;
        try (InputStream in = getClass().getResourceAsStream("/golden/transformer.json")) {
            spec = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        Transformer t = new Transformer(64, 2, 4, Init.f32(1));
        Map<String, Var> named = t.namedParameters();
        List<Object> torchParams = (List<Object>) spec.get("params");
        assertEquals(torchParams.size(), named.size());
        int i = 0;
        for (Map.Entry<String, Var> e : named.entrySet()) {
            Map<String, Object> p = (Map<String, Object>) torchParams.get(i++);
            assertEquals(p.get("name"), e.getKey());
            int[] shape = ((List<Object>) p.get("shape")).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
            assertArrayEquals(shape, e.getValue().data().dims(), e.getKey());
        }
    }

    @Test
    void hierarchicalNamesAreAddressable() {
        Clipish m = new Clipish(Init.f32(2));
        Var w = m.parameter("visual.transformer.resblocks.0.attn.in_proj_weight");
        assertArrayEquals(new int[] {48, 16}, w.data().dims());
        assertTrue(m.module("visual.transformer.resblocks.1.mlp") instanceof Mlp);
        assertArrayEquals(new int[] {}, m.parameter("logit_scale").data().dims());
        assertThrows(IllegalArgumentException.class, () -> m.parameter("visual.transformer.resblocks.2.attn.in_proj_weight"));
        // transient buffers are not in the state dict, persistent parameters are
        assertFalse(m.stateDict().containsKey("attn_mask"));
        assertTrue(m.namedBuffers().containsKey("attn_mask"));
        assertEquals(m.namedParameters().size(), m.stateDict().size());
        assertEquals(m.namedParameters().size(), 2 * 12 + 2 + 1);
    }

    @Test
    void initIsSeededAndFollowsTorchDefaults() {
        Linear a = new Linear(50, 20, Init.f32(7)), b = new Linear(50, 20, Init.f32(7)), c = new Linear(50, 20, Init.f32(8));
        assertArrayEquals(a.weight().data().toFloatArray(), b.weight().data().toFloatArray());
        assertFalse(java.util.Arrays.equals(a.weight().data().toFloatArray(), c.weight().data().toFloatArray()));
        double bound = 1 / Math.sqrt(50), max = 0;
        for (float f : a.weight().data().toFloatArray()) max = Math.max(max, Math.abs(f));
        assertTrue(max <= bound && max > 0.9 * bound, "kaiming-uniform bound " + bound + ", max " + max);
        MultiheadAttention at = new MultiheadAttention(16, 4, Init.f32(1));
        for (float f : at.namedParameters().get("out_proj.bias").data().toFloatArray()) assertEquals(0f, f);
        for (float f : at.namedParameters().get("in_proj_bias").data().toFloatArray()) assertEquals(0f, f);
        LayerNorm ln = new LayerNorm(8, Init.f64(1));
        assertEquals(DType.F64, ln.namedParameters().get("weight").data().dtype());
    }

    @Test
    void loadStateDictChecksNamesAndShapes() {
        Clipish a = new Clipish(Init.f32(3)), b = new Clipish(Init.f32(4));
        Map<String, Tensor> sd = new LinkedHashMap<>(a.stateDict());
        b.loadStateDict(sd, true);
        assertArrayEquals(a.parameter("visual.ln_post.weight").data().toFloatArray(), b.parameter("visual.ln_post.weight").data().toFloatArray());
        assertArrayEquals(a.parameter("visual.transformer.resblocks.1.mlp.c_fc.weight").data().toFloatArray(),
                b.parameter("visual.transformer.resblocks.1.mlp.c_fc.weight").data().toFloatArray());
        // loading copies: b does not share a's memory
        assertNotSame(a.parameter("logit_scale").data(), b.parameter("logit_scale").data());

        Map<String, Tensor> bad = new LinkedHashMap<>(sd);
        bad.remove("visual.ln_post.bias");
        bad.put("visual.proj", Tensor.zeros(DType.F32, 16, 8));
        bad.put("visual.transformer.resblocks.0.attn.in_proj_weight", Tensor.zeros(DType.F32, 16, 16));
        float before = (float) b.parameter("logit_scale").data().item();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(bad, true));
        String msg = e.getMessage();
        assertTrue(msg.contains("missing keys: [visual.ln_post.bias]"), msg);
        assertTrue(msg.contains("unexpected keys: [visual.proj]"), msg);
        assertTrue(msg.contains("visual.transformer.resblocks.0.attn.in_proj_weight: checkpoint [16, 16], model [48, 16]"), msg);
        assertEquals(before, (float) b.parameter("logit_scale").data().item()); // nothing changed

        Map<String, Tensor> partial = new LinkedHashMap<>(sd);
        partial.remove("visual.ln_post.bias");
        partial.put("extra", Tensor.zeros(DType.F32, 1));
        Module.LoadReport r = b.loadStateDict(partial, false);
        assertEquals(List.of("visual.ln_post.bias"), r.missing());
        assertEquals(List.of("extra"), r.unexpected());
    }

    @Test
    void freezeByGlobAndRegex() {
        Clipish m = new Clipish(Init.f32(5));
        int total = m.namedParameters().size();
        assertEquals(24, m.freeze("visual.transformer.*"));
        assertEquals(total - 24, m.trainableParameters().size());
        assertEquals(2, m.unfreeze("*.resblocks.1.ln_?.weight"));
        assertEquals(4, m.unfreeze("re:visual\\.transformer\\.resblocks\\.0\\.attn\\..*"));
        assertTrue(m.parameter("visual.transformer.resblocks.0.attn.out_proj.bias").requiresGrad());
        assertFalse(m.parameter("visual.transformer.resblocks.0.mlp.c_fc.bias").requiresGrad());
        assertEquals(0, m.freeze("nothing.*"));
        assertThrows(IllegalArgumentException.class, () -> m.freeze("re:(unclosed"));
    }

    @Test
    void deepCopyIsIndependentAndKeepsFlags() {
        Clipish m = new Clipish(Init.f32(6));
        m.freeze("visual.ln_post.*");
        m.eval();
        Clipish t = m.deepCopy();
        assertEquals(List.copyOf(m.stateDict().keySet()), List.copyOf(t.stateDict().keySet()));
        assertFalse(t.isTraining());
        assertFalse(t.parameter("visual.ln_post.weight").requiresGrad());
        assertTrue(t.parameter("logit_scale").requiresGrad());
        Var w = t.parameter("visual.transformer.resblocks.0.attn.in_proj_weight");
        float orig = (float) m.parameter("visual.transformer.resblocks.0.attn.in_proj_weight").data().get(0, 0);
        assertEquals(orig, (float) w.data().get(0, 0));
        w.data().set(42, 0, 0);
        assertEquals(orig, (float) m.parameter("visual.transformer.resblocks.0.attn.in_proj_weight").data().get(0, 0));
        // the copy's children are its own objects, reached through the copy's own maps
        assertNotSame(m.module("visual.transformer.resblocks.0"), t.module("visual.transformer.resblocks.0"));
        assertEquals(42f, (float) ((Transformer) t.module("visual.transformer")).block(0).attn().namedParameters().get("in_proj_weight").data().get(0, 0));
        assertArrayEquals(m.namedBuffers().get("attn_mask").toFloatArray(), t.namedBuffers().get("attn_mask").toFloatArray());
    }

    @Test
    void parametersOutliveTheScopeTheyWereBuiltIn() {
        Linear l;
        try (Scope s = Scope.open()) {
            l = new Linear(4, 3, Init.f32(1));
            l.deepCopy();
        }
        assertFalse(l.weight().data().isClosed());
        assertEquals(12, l.weight().data().toFloatArray().length);
    }

    @Test
    void interpolationIsThetaEqualsOneMinusAlphaAPlusAlphaB() {
        Clipish a = new Clipish(Init.f32(7)), b = new Clipish(Init.f32(8));
        Clipish target = a.deepCopy();
        ParamMath.interpolate(target, a, b, 0.25);
        for (String n : a.namedParameters().keySet()) {
            float[] x = a.parameter(n).data().toFloatArray(), y = b.parameter(n).data().toFloatArray(), z = target.parameter(n).data().toFloatArray();
            for (int i = 0; i < x.length; i++) assertEquals(0.75 * x[i] + 0.25 * y[i], z[i], 1e-6, n);
        }
        // in place into one of the sources: a = 0.5 a + 0.5 a leaves a unchanged (up to rounding)
        float[] before = a.parameter("logit_scale").data().toFloatArray();
        ParamMath.interpolate(a, a, a, 0.5);
        assertArrayEquals(before, a.parameter("logit_scale").data().toFloatArray(), 1e-6f);
        ParamMath.copy(a, b);
        assertArrayEquals(b.parameter("visual.ln_post.bias").data().toFloatArray(), a.parameter("visual.ln_post.bias").data().toFloatArray());
        Transformer other = new Transformer(16, 1, 2, Init.f32(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParamMath.copy(a, other));
        assertTrue(e.getMessage().contains("only in target"), e.getMessage());
    }

    @Test
    void linearMatchesTheDefinition() {
        Linear l = new Linear(3, 2, Init.f64(9));
        Tensor x = new Rng(1).uniform(DType.F64, -1, 1, 4, 3);
        Tensor y = l.forward(Var.constant(x)).data();
        Tensor w = l.weight().data(), b = l.bias().data();
        for (int r = 0; r < 4; r++) {
            for (int o = 0; o < 2; o++) {
                double s = b.get(o);
                for (int i = 0; i < 3; i++) s += x.get(r, i) * w.get(o, i);
                assertEquals(s, y.get(r, o), 1e-12);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> l.forward(Var.constant(Tensor.zeros(DType.F64, 4, 5))));
    }
}

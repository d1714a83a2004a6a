package clipcl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import clipcl.tensor.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The reference backend (float64) against PyTorch's float64 answers, so the oracle of every other
 * test is itself checked against an independent implementation. Fixture made by
 * tensor/src/test/python/make_op_fixtures.py (torch 1.13, committed under fixtures/ops.json).
 */
class TorchFixtureTest {
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases() throws IOException {
        try (InputStream in = TorchFixtureTest.class.getResourceAsStream("/fixtures/ops.json")) {
            if (in == null) fail("fixtures/ops.json missing from the test class path");
            Map<String, Object> root = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return (List<Map<String, Object>>) root.get("cases");
        }
    }

    static double num(Object o) {
        if (o instanceof Number n) return n.doubleValue();
        return switch ((String) o) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> throw new IllegalArgumentException("bad number " + o);
        };
    }

    @SuppressWarnings("unchecked")
    static int[] shape(Map<String, Object> t) {
        List<Object> s = (List<Object>) t.get("shape");
        int[] d = new int[s.size()];
        for (int i = 0; i < d.length; i++) d[i] = ((Number) s.get(i)).intValue();
        return d;
    }

    @SuppressWarnings("unchecked")
    static double[] data(Map<String, Object> t) {
        List<Object> s = (List<Object>) t.get("data");
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) v[i] = num(s.get(i));
        return v;
    }

    static Tensor tensor(Map<String, Object> t) {
        double[] v = data(t);
        if ("I32".equals(t.get("dtype"))) {
            int[] iv = new int[v.length];
            for (int i = 0; i < v.length; i++) iv[i] = (int) v[i];
            return Tensor.of(iv, shape(t));
        }
        return Tensor.of(v, shape(t));
    }

    static int argInt(Map<String, Object> a, String k) { return ((Number) a.get(k)).intValue(); }

    static boolean argBool(Map<String, Object> a, String k) { return (Boolean) a.get(k); }

    @SuppressWarnings("unchecked")
    static Tensor apply(String op, Map<String, Object> a, Tensor[] t) {
        return switch (op) {
            case "neg" -> t[0].neg();
            case "abs" -> t[0].abs();
            case "exp" -> t[0].exp();
            case "log" -> t[0].log();
            case "sqrt" -> t[0].sqrt();
            case "rsqrt" -> t[0].rsqrt();
            case "reciprocal" -> t[0].reciprocal();
            case "square" -> t[0].square();
            case "tanh" -> t[0].tanh();
            case "sigmoid" -> t[0].sigmoid();
            case "relu" -> t[0].relu();
            case "gelu" -> t[0].gelu();
            case "quick_gelu" -> t[0].quickGelu();
            case "add" -> t[0].add(t[1]);
            case "sub" -> t[0].sub(t[1]);
            case "mul" -> t[0].mul(t[1]);
            case "div" -> t[0].div(t[1]);
            case "pow" -> t[0].pow(t[1]);
            case "maximum" -> t[0].maximum(t[1]);
            case "minimum" -> t[0].minimum(t[1]);
            case "add_scalar" -> t[0].add(num(a.get("scalar")));
            case "mul_scalar" -> t[0].mul(num(a.get("scalar")));
            case "pow_scalar" -> t[0].pow(num(a.get("scalar")));
            case "div_scalar" -> t[0].div(num(a.get("scalar")));
            case "eq" -> t[0].eq(t[1]);
            case "ne" -> t[0].ne(t[1]);
            case "lt" -> t[0].lt(t[1]);
            case "le" -> t[0].le(t[1]);
            case "gt" -> t[0].gt(t[1]);
            case "ge" -> t[0].ge(t[1]);
            case "where" -> Tensor.where(t[0], t[1], t[2]);
            case "masked_fill" -> t[0].maskedFill(t[1], num(a.get("value")));
            case "sum" -> t[0].sum(argInt(a, "dim"), argBool(a, "keepdim"));
            case "mean" -> t[0].mean(argInt(a, "dim"), argBool(a, "keepdim"));
            case "max" -> t[0].max(argInt(a, "dim"), argBool(a, "keepdim"));
            case "min" -> t[0].min(argInt(a, "dim"), argBool(a, "keepdim"));
            case "var" -> t[0].var(new int[] {argInt(a, "dim")}, argBool(a, "keepdim"), argBool(a, "unbiased"));
            case "argmax" -> t[0].argmax(argInt(a, "dim"), false);
            case "argmin" -> t[0].argmin(argInt(a, "dim"), false);
            case "sum_dims" -> {
                List<Object> ds = (List<Object>) a.get("dims");
                yield t[0].sum(ds.stream().mapToInt(o -> ((Number) o).intValue()).toArray(), argBool(a, "keepdim"));
            }
            case "sum_all" -> t[0].sum();
            case "softmax" -> t[0].softmax(argInt(a, "dim"));
            case "log_softmax" -> t[0].logSoftmax(argInt(a, "dim"));
            case "layer_norm" -> t[0].layerNorm(t[1], t[2], num(a.get("eps")));
            case "layer_norm_plain" -> t[0].layerNorm(null, null, num(a.get("eps")));
            case "normalize" -> t[0].l2Normalize(argInt(a, "dim"), num(a.get("eps")));
            case "matmul" -> t[0].matmul(t[1]);
            case "conv2d_patch" -> Conv.patchConv2d(t[0], t[1], t[2]);
            case "index_select" -> t[0].indexSelect(argInt(a, "dim"), t[1]);
            case "gather" -> t[0].gather(argInt(a, "dim"), t[1]);
            case "embedding" -> Indexing.embedding(t[0], t[1]);
            case "cat" -> Tensor.concat(List.of(t[0], t[1]), argInt(a, "dim"));
            case "stack" -> Tensor.stack(List.of(t[0], t[1]), argInt(a, "dim"));
            case "to_bf16" -> t[0].to(DType.F32).to(DType.BF16).to(DType.F64);
            case "to_f16" -> t[0].to(DType.F32).to(DType.F16).to(DType.F64);
            case "to_f32" -> t[0].to(DType.F32).to(DType.F64);
            case "to_i32" -> t[0].to(DType.I32);
            default -> throw new IllegalArgumentException("fixture op '" + op + "' has no mapping in TorchFixtureTest");
        };
    }

    @Test
    @SuppressWarnings("unchecked")
    void referenceBackendMatchesTorchFloat64() throws IOException {
        Backend old = Backends.setCpu(new ReferenceBackend());
        TreeSet<String> ops = new TreeSet<>();
        int n = 0;
        try {
            for (Map<String, Object> c : cases()) {
                String op = (String) c.get("op");
                try (Scope s = Scope.open()) {
                    List<Map<String, Object>> ins = (List<Map<String, Object>>) c.get("inputs");
                    Tensor[] t = new Tensor[ins.size()];
                    for (int i = 0; i < t.length; i++) t[i] = tensor(ins.get(i));
                    Tensor out = apply(op, (Map<String, Object>) c.get("args"), t);
                    Map<String, Object> want = (Map<String, Object>) c.get("output");
                    String what = "case " + n + " (" + op + " " + c.get("args") + ")";
                    assertArrayEquals(shape(want), out.dims(), what + ": shape");
                    boolean intOut = "I32".equals(want.get("dtype"));
                    assertEquals(intOut, out.dtype() == DType.I32, what + ": dtype " + out.dtype());
                    // libm and java.lang.Math differ by an ulp or so; the fixtures' own values are exact decimals
                    OpCheck.compare(what, out.toDoubleArray(), data(want), 1e-12, 1e-300);
                }
                ops.add(op);
                n++;
            }
        } finally {
            Backends.setCpu(old);
        }
        assertTrue(n > 100, "only " + n + " fixture cases");
        assertTrue(ops.size() > 50, "fixture covers only " + ops);
    }
}

package clipcl.bench;

import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Each fused inference kernel alone against the ops it replaces, on ViT-B/32's and the text
 * tower's shapes: alternating bursts in one process, the order flipped every round, median ms per
 * call of each side and the median per-round speed-up (composed / fused). A kernel's own change
 * is far larger than the noise of a whole forward on a busy machine, which is why this exists
 * beside {@link EncodeAb}.
 */
public final class FusionOpsAb {
    /** One shape: median ms per call composed and fused, and the median speed-up. */
    public record Result(String what, int rounds, double composedMs, double fusedMs, double ratio) {
        public String line() {
            return String.format(Locale.ROOT, "%-58s composed %8.3f ms  fused %8.3f ms  speed-up %.3fx (median of %d rounds)",
                    what, composedMs, fusedMs, ratio, rounds);
        }
    }

    private FusionOpsAb() { }

    /** Both kernels on every shape of encode_image (batch 1 and 32) and encode_text (batch 32). */
    public static List<Result> all(int rounds, double seconds) {
        List<Result> out = new ArrayList<>();
        out.add(attention(1, 50, 768, 12, false, rounds, seconds));
        out.add(attention(32, 50, 768, 12, false, rounds, seconds));
        out.add(attention(32, 77, 512, 8, true, rounds, seconds));
        out.add(linearGelu(50, 768, 3072, rounds, seconds));
        out.add(linearGelu(1600, 768, 3072, rounds, seconds));
        out.add(linearGelu(2464, 512, 2048, rounds, seconds));
        return out;
    }

    public static Result attention(int b, int l, int d, int heads, boolean causal, int rounds, double seconds) {
        Runnable[] pair = attentionPair(b, l, d, heads, causal);
        String what = String.format(Locale.ROOT, "attention B=%d L=%d D=%d H=%d%s (+ head merge)", b, l, d, heads, causal ? " causal" : "");
        return run(what, rounds, seconds, pair[0], pair[1]);
    }

    /** {composed, fused} self-attention for inference from a packed qkv [b, l, 3d] (random, fixed seed); also timed by {@link FusionJmh}. */
    public static Runnable[] attentionPair(int b, int l, int d, int heads, boolean causal) {
        Tensor qkv = new Rng(5).normal(DType.F32, 0, 1, b, l, 3 * d);
        Tensor mask = causal ? Tensor.zeros(DType.F32, Device.CPU, l, l) : null;
        if (causal) for (int i = 0; i < l; i++) for (int j = i + 1; j < l; j++) mask.set(Double.NEGATIVE_INFINITY, i, j);
        int hd = d / heads;
        double scale = 1.0 / Math.sqrt(hd);
        Runnable fused = () -> {
            try (Scope s = Scope.open()) { Training.selfAttentionInference(qkv, heads, mask, scale); }
        };
        Runnable composed = () -> {
            try (Scope s = Scope.open()) {
                Tensor q = qkv.narrow(2, 0, d).reshape(b, l, heads, hd).permute(0, 2, 1, 3);
                Tensor k = qkv.narrow(2, d, d).reshape(b, l, heads, hd).permute(0, 2, 1, 3);
                Tensor v = qkv.narrow(2, 2 * d, d).reshape(b, l, heads, hd).permute(0, 2, 1, 3);
                Tensor p = Training.maskedSoftmax(q.matmul(k.mT()), mask, scale);
                p.matmul(v).permute(0, 2, 1, 3).reshape(b, l, d);
            }
        };
        return new Runnable[] {composed, fused};
    }

    public static Result linearGelu(int m, int k, int n, int rounds, double seconds) {
        Runnable[] pair = linearGeluPair(m, k, n);
        return run(String.format(Locale.ROOT, "c_fc + bias + QuickGELU [%d x %d] -> %d", m, k, n), rounds, seconds, pair[0], pair[1]);
    }

    /** {composed, fused} linear + bias + QuickGELU on x [m, k], w [n, k] (random, fixed seed); also timed by {@link FusionJmh}. */
    public static Runnable[] linearGeluPair(int m, int k, int n) {
        Rng r = new Rng(6);
        Tensor x = r.normal(DType.F32, 0, 1, m, k), w = r.normal(DType.F32, 0, 0.03, n, k), bias = r.normal(DType.F32, 0, 1, n);
        Runnable fused = () -> {
            try (Scope s = Scope.open()) { Training.linearQuickGelu(x, w, bias); }
        };
        Runnable composed = () -> {
            try (Scope s = Scope.open()) { Training.linear(x, w, bias).quickGelu(); }
        };
        return new Runnable[] {composed, fused};
    }

    static Result run(String what, int rounds, double seconds, Runnable composed, Runnable fused) {
        if (rounds < 1) throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        double[] a = new double[rounds], f = new double[rounds], ratio = new double[rounds];
        // Untimed bursts of both sides first: the fused kernels are larger compilation units and
        // reach C2 later (before that, the first bursts measured them 4-6x slower than their own later ones).
        for (int i = 0; i < 3; i++) {
            EncodeBench.time(what, 1, seconds, composed);
            EncodeBench.time(what, 1, seconds, fused);
        }
        for (int i = 0; i < rounds; i++) {
            boolean fusedFirst = i % 2 == 1;
            for (int side = 0; side < 2; side++) {
                boolean isFused = (side == 0) == fusedFirst;
                double ms = EncodeBench.time(what, 1, seconds, isFused ? fused : composed).msPerBatch();
                if (isFused) f[i] = ms;
                else a[i] = ms;
            }
            ratio[i] = a[i] / f[i];
        }
        return new Result(what, rounds, EncodeAb.median(a), EncodeAb.median(f), EncodeAb.median(ratio));
    }
}

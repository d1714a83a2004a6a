package clipcl.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import clipcl.tensor.Backend;
import clipcl.tensor.Backends;
import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.Fusion;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fused inference self-attention ({@link HeadAttention}) against its scalar oracle and against
 * the composed path it replaces (batched products, masked softmax, the merge copy).
 */
class HeadAttentionTest {
    private final String savedThreads = System.getProperty("clipcl.threads");
    private final Backend savedCpu = Backends.cpu();

    @AfterEach
    void restore() {
        if (savedThreads == null) System.clearProperty("clipcl.threads");
        else System.setProperty("clipcl.threads", savedThreads);
        Backends.setCpu(savedCpu);
        Fusion.setAttention(true);
    }

    private static Tensor causal(int l) {
        Tensor m = Tensor.zeros(DType.F32, Device.CPU, l, l);
        for (int i = 0; i < l; i++) for (int j = i + 1; j < l; j++) m.set(Double.NEGATIVE_INFINITY, i, j);
        return m;
    }

    /** The composed path: q k^T, softmax(s * scale + mask), p v, heads merged by a copy. */
    private static Tensor composed(Tensor qkv, int heads, Tensor mask, double scale) {
        int b = qkv.dim(0), l = qkv.dim(1), d = qkv.dim(2) / 3, hd = d / heads;
        Tensor q = qkv.narrow(2, 0, d).reshape(b, l, heads, hd).permute(0, 2, 1, 3);
        Tensor k = qkv.narrow(2, d, d).reshape(b, l, heads, hd).permute(0, 2, 1, 3);
        Tensor v = qkv.narrow(2, 2 * d, d).reshape(b, l, heads, hd).permute(0, 2, 1, 3);
        Tensor p = Training.maskedSoftmax(q.matmul(k.mT()), mask, scale);
        return p.matmul(v).permute(0, 2, 1, 3).contiguous().reshape(b, l, d);
    }

    private void check(int b, int l, int heads, int hd, boolean masked, int threads) {
        System.setProperty("clipcl.threads", Integer.toString(threads));
        try (Scope s = Scope.open()) {
            int d = heads * hd;
            Tensor qkv = new Rng(b * 1000 + l).normal(DType.F32, 0, 1, b, l, 3 * d);
            Tensor mask = masked ? causal(l) : null;
            double scale = 1.0 / Math.sqrt(hd);
            Tensor fast = Training.selfAttentionInference(qkv, heads, mask, scale);
            assertNotNull(fast, "the vector backend runs the fused kernel");
            assertEquals(java.util.List.of(b, l, d), java.util.Arrays.stream(fast.dims()).boxed().toList());
            float[] got = fast.toFloatArray();
            float[] want = HeadAttention.reference(qkv.toFloatArray(), b, l, heads, d, mask == null ? null : mask.toFloatArray(), scale);
            String what = "attention b=" + b + " l=" + l + " heads=" + heads + " hd=" + hd + " masked=" + masked + " threads=" + threads;
            for (int i = 0; i < got.length; i++) {
                if (!(Math.abs(got[i] - want[i]) <= 2e-6 * (1 + Math.abs(want[i])))) {
                    fail(what + " index " + i + ": fast " + got[i] + " scalar reference " + want[i]);
                }
            }
            // The same products and softmax rows as the composed path; the scale is applied in
            // float here (the composed path's scalar multiply rounds from double): a few ulp apart.
            float[] comp = composed(qkv, heads, mask, scale).toFloatArray();
            for (int i = 0; i < got.length; i++) {
                if (!(Math.abs(got[i] - comp[i]) <= 1e-6 * (1 + Math.abs(comp[i])))) {
                    fail(what + " index " + i + ": fast " + got[i] + " composed " + comp[i]);
                }
            }
        }
    }

    @Test
    void matchesTheScalarReferenceAndTheComposedPath() {
        for (int threads = 1; threads <= 2; threads++) {
            check(1, 50, 12, 64, false, threads);   // ViT-B/32 at batch 1
            check(2, 77, 8, 64, true, threads);     // the text tower's causal attention
            check(3, 7, 2, 5, false, threads);      // rows shorter than a vector, odd head size
            check(1, 19, 3, 16, true, threads);
        }
    }

    @Test
    void offOrOnAnotherBackendTheCallerComposes() {
        Tensor qkv = new Rng(1).normal(DType.F32, 0, 1, 1, 4, 6);
        Fusion.setAttention(false);
        assertNull(Training.selfAttentionInference(qkv, 1, null, 1.0));
        Fusion.setAttention(true);
        Backends.setCpu(new clipcl.tensor.ReferenceBackend());
        assertNull(Training.selfAttentionInference(qkv, 1, null, 1.0));
    }

    @Test
    void badShapesAreNamed() {
        Tensor qkv = new Rng(1).normal(DType.F32, 0, 1, 1, 4, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Training.selfAttentionInference(qkv, 4, null, 1.0));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("[1, 4, 6]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Training.selfAttentionInference(qkv, 1, causal(3), 1.0));
    }
}

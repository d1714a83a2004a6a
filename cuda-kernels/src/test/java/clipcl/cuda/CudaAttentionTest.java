package clipcl.cuda;

import static clipcl.cuda.Gpu.assertClose;
import static clipcl.cuda.Gpu.gpu;
import static clipcl.cuda.Gpu.randn;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * attention.cu through {@link Training#attention} and its backward, against the same formulas in
 * float64 on the CPU: on the strided views MultiheadAttention makes of its packed projection (with
 * and without the causal mask), on dense operands with Sq != Sk and head sizes that are not a
 * multiple of 32, and the layouts it must decline. Skipped, with the reason, where no GPU answers.
 */
@SuppressWarnings("try")  // scopes close what the tests create
class CudaAttentionTest {
    final Random r = new Random(5);

    @BeforeEach
    void gpuOrSkip() { Gpu.require().setFusedAttention(true); }

    @AfterEach
    void composedAgain() { if (CudaBackendProvider.isAvailable()) CudaBackendProvider.backend(0).setFusedAttention(false); }

    @Test
    void composedUnlessAsked() {
        CudaBackend cuda = Gpu.require();
        try (Scope s = Scope.open()) {
            Tensor q = gpu(randn(r, 2, 5, 64));
            cuda.setFusedAttention(false);
            assertFalse(cuda.supportsAttention(q, q, q, null), "composed by default");
            cuda.setFusedAttention(true);
            assertTrue(cuda.supportsAttention(q, q, q, null), "fused when asked");
        }
    }

    @Test
    void packedSelfAttentionMatchesFloat64() {
        for (boolean causal : new boolean[] {false, true}) {
            try (Scope s = Scope.open()) {
                int b = 3, h = 4, l = causal ? 77 : 50, dh = 64, dim = h * dh;
                Tensor qkv = gpu(randn(r, b, l, 3 * dim));
                Tensor q = heads(qkv.narrow(2, 0, dim), b, l, h, dh), k = heads(qkv.narrow(2, dim, dim), b, l, h, dh), v = heads(qkv.narrow(2, 2 * dim, dim), b, l, h, dh);
                Tensor g = gpu(randn(r, b, l, h, dh)).permute(0, 2, 1, 3);     // the merge's backward layout
                Tensor mask = causal ? gpu(causalMask(l)) : null;
                check(q, k, v, mask, g, (causal ? "causal " : "") + "packed L=" + l);
            }
        }
    }

    @Test
    void denseCrossAttentionOddSizesMatchesFloat64() {
        try (Scope s = Scope.open()) {
            check(gpu(randn(r, 2, 5, 40)), gpu(randn(r, 2, 37, 40)), gpu(randn(r, 2, 37, 40)), null, gpu(randn(r, 2, 5, 40)), "rank 3 Sq=5 Sk=37 dh=40");
            check(gpu(randn(r, 1, 3, 70, 128)), gpu(randn(r, 1, 3, 9, 128)), gpu(randn(r, 1, 3, 9, 128)), null, gpu(randn(r, 1, 3, 70, 128)), "rank 4 Sq=70 Sk=9 dh=128");
        }
    }

    @Test
    void declinesWhatTheKernelDoesNotTake() {
        CudaBackend cuda = Gpu.require();
        try (Scope s = Scope.open()) {
            Tensor big = gpu(randn(r, 2, 8, 130));
            assertFalse(cuda.supportsAttention(big, big, big, null), "head size over 128");
            assertNull(Training.attention(big, big, big, null, 0.1), "declined: the caller composes");
            Tensor q = gpu(randn(r, 2, 8, 16));
            assertFalse(cuda.supportsAttention(q, q, q, gpu(randn(r, 2, 8, 8))), "a mask with batch dimensions");
            assertFalse(cuda.supportsAttention(q.to(DType.BF16), q.to(DType.BF16), q.to(DType.BF16), null), "BF16 operands");
            Tensor q5 = gpu(randn(r, 1, 2, 2, 8, 16));
            assertFalse(cuda.supportsAttention(q5, q5, q5, null), "three batch dimensions");
            assertTrue(cuda.supportsAttention(q, q, q, gpu(causalMask(8))), "a dense [Sq, Sk] mask");
        }
    }

    private void check(Tensor q, Tensor k, Tensor v, Tensor mask, Tensor g, String what) {
        double scale = 1.0 / Math.sqrt(q.dim(-1));
        Tensor[] got = Training.attention(q, k, v, mask, scale);
        assertNotNull(got, what + ": the fused kernel took the operands");
        Tensor[] grads = Training.attentionBackward(q, k, v, got[1], g, scale, true, true, true);
        assertNotNull(grads, what + ": the fused backward took the operands");
        Tensor q64 = f64(q), k64 = f64(k), v64 = f64(v), g64 = f64(g);
        Tensor scores = q64.matmul(k64.mT()).mul(scale);
        if (mask != null) scores = scores.add(f64(mask));
        Tensor p = scores.softmax(-1), out = p.matmul(v64);
        Tensor dp = g64.matmul(v64.mT());
        Tensor ds = p.mul(dp.sub(dp.mul(p).sum(-1, true))).mul(scale);
        assertClose(p, got[1], 1e-4, 1e-6, what + ": probs");
        assertClose(out, got[0], 1e-4, 1e-5, what + ": out");
        assertClose(ds.matmul(k64), grads[0], 1e-3, 1e-5, what + ": dq");
        assertClose(ds.mT().matmul(q64), grads[1], 1e-3, 1e-5, what + ": dk");
        assertClose(p.mT().matmul(g64), grads[2], 1e-4, 1e-5, what + ": dv");
    }

    private static Tensor heads(Tensor t, int b, int l, int h, int dh) { return t.reshape(b, l, h, dh).permute(0, 2, 1, 3); }

    private static Tensor f64(Tensor t) { return t.to(Device.CPU).to(DType.F64); }

    private static Tensor causalMask(int n) {
        float[] m = new float[n * n];
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) m[i * n + j] = Float.NEGATIVE_INFINITY;
        return Tensor.of(m, n, n);
    }
}

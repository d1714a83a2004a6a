package clipcl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import clipcl.tensor.cpu.VectorBackend;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * NaN and infinities on both backends, with the answers PyTorch gives (the same cases are in the
 * torch fixture for the reference). Inputs are long enough (> 16) that the SIMD body, not only the
 * scalar tail, sees the special values.
 */
class NanInfTest {
    static final float NAN = Float.NaN, INF = Float.POSITIVE_INFINITY;
    private Backend saved;

    @AfterEach
    void restore() { if (saved != null) Backends.setCpu(saved); }

    /** Runs body on each backend; F32 inputs either way (the reference computes them in float64). */
    void onBoth(Runnable body) {
        saved = Backends.setCpu(new VectorBackend());
        body.run();
        Backends.setCpu(new ReferenceBackend());
        body.run();
        Backends.setCpu(saved);
    }

    /** 40 values: the given ones at positions 3.. and 23.., zeros elsewhere. */
    static Tensor padded(float... v) {
        float[] a = new float[40];
        System.arraycopy(v, 0, a, 3, v.length);
        System.arraycopy(v, 0, a, 23, v.length);
        return Tensor.of(a, 40);
    }

    static void same(float[] want, Tensor got, int at) {
        float[] g = got.toFloatArray();
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], g[at + i], 0f, "element " + (at + i) + " of " + Backends.cpu().name());
        }
    }

    static void both(float[] want, Supplier<Tensor> f) {
        Tensor t = f.get();
        same(want, t, 3);
        same(want, t, 23);
    }

    @Test
    void elementwiseSpecials() {
        onBoth(() -> {
            both(new float[] {0, 0, 1, INF, INF, INF, 0, NAN}, () -> padded(-1000, -110, 0, 89, 1000, INF, -INF, NAN).exp());
            both(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, NAN, INF, NAN, NAN}, () -> padded(0, -0f, -1, INF, -INF, NAN).log());
            both(new float[] {0, NAN, INF, NAN}, () -> padded(0, -1, INF, NAN).sqrt());
            both(new float[] {0, 1, 0.5f, 1, NAN}, () -> padded(-INF, INF, 0, 200, NAN).sigmoid());
            both(new float[] {-1, 1, 0, NAN}, () -> padded(-INF, INF, 0, NAN).tanh());
            both(new float[] {0, INF, 0, NAN}, () -> padded(-INF, INF, -0f, NAN).relu());
            both(new float[] {INF, -0f, NAN, NAN}, () -> padded(INF, -30, NAN, -INF).gelu());
            both(new float[] {INF, Float.NEGATIVE_INFINITY, NAN, INF}, () -> padded(1, -1, 0, INF).div(padded(0, 0, 0, 1)));
        });
    }

    @Test
    void maximumMinimumPropagateNan() {
        onBoth(() -> {
            both(new float[] {NAN, NAN, INF}, () -> padded(NAN, 1, -INF).maximum(padded(0, NAN, INF)));
            both(new float[] {NAN, NAN, -INF}, () -> padded(NAN, 1, -INF).minimum(padded(0, NAN, INF)));
            // comparisons with NaN are false, except ne
            both(new float[] {0, 1}, () -> padded(NAN, 1).eq(padded(NAN, 1)));
            both(new float[] {1, 0}, () -> padded(NAN, 1).ne(padded(NAN, 1)));
            both(new float[] {0, 0}, () -> padded(NAN, NAN).lt(padded(1, NAN)));
        });
    }

    @Test
    void reductionsWithNan() {
        onBoth(() -> {
            // rows: [1, nan, 3, ...], [-inf, 0, inf, ...], [2, 2, -1, ...] padded to 20 columns
            float[] a = new float[60];
            a[0] = 1; a[1] = NAN; a[2] = 3; a[20] = Float.NEGATIVE_INFINITY; a[22] = INF; a[40] = 2; a[41] = 2; a[42] = -1;
            Tensor x = Tensor.of(a, 3, 20);
            assertArrayEquals(new float[] {NAN, INF, 2}, x.max(1, false).toFloatArray());
            assertArrayEquals(new float[] {NAN, Float.NEGATIVE_INFINITY, -1}, x.min(1, false).toFloatArray());
            assertArrayEquals(new int[] {1, 2, 0}, x.argmax(1, false).toIntArray()); // NaN counts as the maximum
            assertArrayEquals(new int[] {1, 0, 2}, x.argmin(1, false).toIntArray());
            assertArrayEquals(new float[] {NAN, NAN, 3}, x.sum(1, false).toFloatArray());
            // along the strided dimension
            Tensor xt = x.mT();
            assertArrayEquals(new int[] {1, 2, 0}, xt.argmax(0, false).toIntArray());
            assertEquals(Float.NaN, xt.max(0, false).toFloatArray()[0]);
        });
    }

    @Test
    void softmaxWithInfAndNan() {
        onBoth(() -> {
            float ninf = Float.NEGATIVE_INFINITY;
            // torch: all -inf -> nan; one finite -> one-hot; +inf -> nan (inf - inf); a NaN poisons the row
            Tensor x = Tensor.of(new float[] {ninf, ninf, ninf, 0, INF, 0, 1, NAN}, 4, 2);
            assertArrayEquals(new float[] {NAN, NAN, 0, 1, NAN, NAN, NAN, NAN}, x.softmax(-1).toFloatArray());
            assertArrayEquals(new float[] {NAN, NAN, ninf, 0, NAN, NAN, NAN, NAN}, x.logSoftmax(-1).toFloatArray());
            // huge finite logits do not overflow: the max is subtracted first
            Tensor big = Tensor.of(new float[] {1e30f, 1e30f, -1e30f, 3e38f, 0, 0}, 3, 2);
            assertArrayEquals(new float[] {0.5f, 0.5f, 0, 1, 0.5f, 0.5f}, big.softmax(-1).toFloatArray(), 1e-7f);
        });
    }
}

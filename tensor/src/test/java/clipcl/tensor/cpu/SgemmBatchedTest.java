package clipcl.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Sgemm#batched} against one {@link SgemmReference} call per batch item. */
class SgemmBatchedTest {
    private final String savedThreads = System.getProperty("clipcl.threads");

    @AfterEach
    void restoreThreads() {
        if (savedThreads == null) System.clearProperty("clipcl.threads");
        else System.setProperty("clipcl.threads", savedThreads);
    }

    private static float[] fill(Random r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = r.nextFloat() * 2 - 1;
        return x;
    }

    /**
     * Attention-style scores: Q [batch, m, k] times K^T where K is [batch, n, k] (so B has row
     * stride 1 and column stride k), C with a padded batch stride; B broadcast when shareB.
     */
    private static void checkAttention(Random r, int batch, int m, int n, int k, boolean shareB, boolean acc) {
        int aBs = m * k + 3, bBs = shareB ? 0 : n * k + 1, cBs = m * n + 5;
        float[] a = fill(r, 2 + batch * aBs), b = fill(r, 1 + Math.max(1, batch * bBs) + n * k);
        float[] c = fill(r, 4 + batch * cBs);
        float[] got = c.clone(), want = c.clone();
        Sgemm.batched(batch, m, n, k, a, 2, aBs, k, 1, b, 1, bBs, 1, k, got, 4, cBs, n, acc);
        for (int q = 0; q < batch; q++) {
            SgemmReference.gemm(m, n, k, a, 2 + q * aBs, k, 1, b, 1 + q * bBs, 1, k, want, 4 + q * cBs, n, acc);
        }
        for (int i = 0; i < c.length; i++) {
            double tol = 4.0 * (k + 2) * Math.ulp(1f) * (k + (acc ? 1 : 0));
            if (!(Math.abs(got[i] - want[i]) <= tol)) {
                fail("batched " + batch + "x[" + m + "," + k + "]x[" + k + "," + n + "] index " + i
                        + ": fast " + got[i] + " reference " + want[i]);
            }
        }
    }

    @Test
    void smallProductsParallelAcrossBatch() {
        Random r = new Random(21);
        for (int t = 1; t <= 2; t++) {
            System.setProperty("clipcl.threads", Integer.toString(t));
            checkAttention(r, 24, 50, 50, 64, false, false);  // scores: [heads, 50, 64] x [heads, 64, 50]
            checkAttention(r, 7, 13, 9, 5, true, true);
            checkAttention(r, 3, 1, 17, 33, false, true);
            checkAttention(r, 5, 2, 3, 0, false, false);
        }
    }

    @Test
    void largeProductsOneAfterAnother() {
        Random r = new Random(22);
        System.setProperty("clipcl.threads", "2");
        checkAttention(r, 1, 130, 120, 80, false, false);
        checkAttention(r, 1, 90, 200, 70, true, true);
    }

    @Test
    void calledFromInsideAParallelLoopRunsOnItsOwnThread() {
        // Parallel's workers waiting on GEMM chunks queued behind themselves would deadlock.
        System.setProperty("clipcl.threads", "2");
        Random r = new Random(24);
        int m = 120, n = 130, k = 90;
        float[] a = fill(r, 2 * m * k), b = fill(r, k * n), got = new float[2 * m * n], want = new float[2 * m * n];
        clipcl.tensor.Parallel.forRange(2, 1, (from, to) -> {
            for (int q = from; q < to; q++) {
                Sgemm.gemm(m, n, k, a, q * m * k, k, 1, b, 0, n, 1, got, q * m * n, n, false);
                Sgemm.batched(1, m, n, k, a, q * m * k, 0, k, 1, b, 0, 0, n, 1, got, q * m * n, 0, n, true);
            }
        });
        for (int q = 0; q < 2; q++) {
            SgemmReference.gemm(m, n, k, a, q * m * k, k, 1, b, 0, n, 1, want, q * m * n, n, false);
            SgemmReference.gemm(m, n, k, a, q * m * k, k, 1, b, 0, n, 1, want, q * m * n, n, true);
        }
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= 1e-3)) fail("index " + i + ": " + got[i] + " vs " + want[i]);
        }
    }

    @Test
    void sameResultWhateverTheThreadCount() {
        Random r = new Random(23);
        int batch = 6, m = 50, n = 64, k = 50;
        float[] a = fill(r, batch * m * k), b = fill(r, batch * k * n);
        float[][] out = new float[2][];
        for (int t = 1; t <= 2; t++) {
            System.setProperty("clipcl.threads", Integer.toString(t));
            out[t - 1] = new float[batch * m * n];
            Sgemm.batched(batch, m, n, k, a, 0, m * k, k, 1, b, 0, k * n, n, 1, out[t - 1], 0, m * n, n, false);
        }
        assertArrayEquals(out[0], out[1]);
    }
}

package clipcl.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packed Vector API SGEMM against {@link SgemmReference} on many shapes and layouts, for every
 * {@link SgemmVariant} this JVM offers (each tile and block size, edges included).
 */
class SgemmTest {
    private final String savedThreads = System.getProperty("clipcl.threads");

    @AfterEach
    void restoreThreads() {
        if (savedThreads == null) System.clearProperty("clipcl.threads");
        else System.setProperty("clipcl.threads", savedThreads);
    }

    /** One GEMM problem laid out in arrays: A and B possibly transposed, padded, offset. */
    private record Problem(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                           float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc) {
        static Problem random(Random r, int m, int n, int k, boolean ta, boolean tb) {
            int aOff = r.nextInt(5), bOff = r.nextInt(5), cOff = r.nextInt(5);
            int lda = (ta ? m : k) + r.nextInt(3), ldb = (tb ? k : n) + r.nextInt(3);
            int ldc = n + r.nextInt(3);
            float[] a = fill(r, aOff + lda * (ta ? k : m) + 3);
            float[] b = fill(r, bOff + ldb * (tb ? n : k) + 3);
            float[] c = fill(r, cOff + ldc * m + 3);
            return new Problem(m, n, k, a, aOff, ta ? 1 : lda, ta ? lda : 1,
                    b, bOff, tb ? 1 : ldb, tb ? ldb : 1, c, cOff, ldc);
        }

        float[] run(boolean fast, boolean accumulate) {
            float[] out = c.clone();
            if (fast) Sgemm.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, out, cOff, ldc, accumulate);
            else SgemmReference.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, out, cOff, ldc, accumulate);
            return out;
        }

        /** Checks fast against reference within a bound scaled by sum_p |A||B| (float rounding). */
        void check(boolean accumulate, String what) {
            float[] got = run(true, accumulate), want = run(false, accumulate);
            for (int idx = 0; idx < c.length; idx++) {
                int rel = idx - cOff, i = rel / Math.max(1, ldc), j = rel - i * ldc;
                boolean inside = rel >= 0 && i < m && j < n;
                if (!inside) {
                    if (Float.floatToRawIntBits(got[idx]) != Float.floatToRawIntBits(c[idx])) {
                        fail(what + ": wrote outside C at " + idx);
                    }
                    continue;
                }
                double mag = accumulate ? Math.abs(c[idx]) : 0;
                for (int p = 0; p < k; p++) {
                    mag += Math.abs((double) a[aOff + i * aRs + p * aCs] * b[bOff + p * bRs + j * bCs]);
                }
                double tol = 4.0 * (k + 2) * Math.ulp(1f) * mag + 1e-30;
                if (!(Math.abs(got[idx] - want[idx]) <= tol)) {
                    fail(what + ": C[" + i + "," + j + "] fast " + got[idx] + " reference " + want[idx] + " tol " + tol);
                }
            }
        }
    }

    private static float[] fill(Random r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = r.nextFloat() * 2 - 1;
        return x;
    }

    private void withThreads(int t, Runnable body) {
        System.setProperty("clipcl.threads", Integer.toString(t));
        body.run();
    }

    /** Runs body once per variant, each as the active one; the one active before is restored. */
    private static void forEachVariant(Consumer<SgemmVariant> body) {
        for (SgemmVariant v : SgemmVariant.all()) {
            SgemmVariant old = SgemmVariant.use(v);
            try {
                body.accept(v);
            } catch (AssertionError e) {
                throw new AssertionError("variant " + v.name() + ": " + e.getMessage(), e);
            } finally {
                SgemmVariant.use(old);
            }
        }
    }

    @Test
    void edgeSizesAllLayouts() {
        int[] sizes = {0, 1, 2, 3, 5, 6, 7, 13, 17, 31, 32, 33, 47, 49};
        Random r = new Random(11);
        forEachVariant(v -> withThreads(1, () -> {
            for (int m : sizes) {
                for (int n : sizes) {
                    int k = sizes[r.nextInt(sizes.length)];
                    boolean ta = r.nextBoolean(), tb = r.nextBoolean(), acc = r.nextBoolean();
                    Problem.random(r, m, n, k, ta, tb).check(acc, "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb);
                }
            }
        }));
    }

    @Test
    void randomShapesOneAndTwoThreads() {
        Random r = new Random(12);
        forEachVariant(v -> {
            for (int t = 1; t <= 2; t++) {
                withThreads(t, () -> {
                    for (int trial = 0; trial < 40; trial++) {
                        int m = 1 + r.nextInt(120), n = 1 + r.nextInt(150), k = 1 + r.nextInt(140);
                        boolean ta = r.nextBoolean(), tb = r.nextBoolean(), acc = r.nextBoolean();
                        Problem.random(r, m, n, k, ta, tb).check(acc, "trial " + trial + " m=" + m + " n=" + n
                                + " k=" + k + " ta=" + ta + " tb=" + tb + " acc=" + acc);
                    }
                });
            }
        });
    }

    @Test
    void blockBoundariesAndThreadSplits() {
        // Crosses KC (k > 256; k > 128 for the shallow variants), MC (m > 480; 960) and NC
        // (n > 3072), splits over N (A packed once and shared: 100x300x400) and over M.
        int[][] shapes = {{37, 70, 300}, {500, 40, 70}, {970, 20, 30}, {9, 3100, 20}, {200, 33, 520},
            {130, 260, 64}, {100, 300, 400}, {61, 53, 131}};
        Random r = new Random(13);
        forEachVariant(v -> {
            for (int t = 1; t <= 2; t++) {
                withThreads(t, () -> {
                    for (int[] s : shapes) {
                        for (int layout = 0; layout < 4; layout++) {
                            boolean ta = (layout & 1) != 0, tb = (layout & 2) != 0;
                            Problem.random(r, s[0], s[1], s[2], ta, tb).check(layout == 3,
                                    s[0] + "x" + s[1] + "x" + s[2] + " layout " + layout);
                        }
                    }
                });
            }
        });
    }

    @Test
    void bitwiseEqualAcrossThreadCounts() {
        Random r = new Random(14);
        forEachVariant(v -> {
            for (int[] s : new int[][] {{300, 200, 600}, {64, 700, 300}, {390, 50, 100}, {100, 300, 400}}) {
                Problem p = Problem.random(r, s[0], s[1], s[2], false, true);
                float[][] out = new float[3][];
                for (int t = 1; t <= 3; t++) {
                    int tt = t;
                    withThreads(t, () -> out[tt - 1] = p.run(true, true));
                }
                assertArrayEquals(out[0], out[1], "1 vs 2 threads " + s[0] + "x" + s[1] + "x" + s[2]);
                assertArrayEquals(out[0], out[2], "1 vs 3 threads " + s[0] + "x" + s[1] + "x" + s[2]);
            }
        });
    }

    @Test
    void variantsWithTheSameDepthAgreeBitwise() {
        // Each element of C is one FMA chain per k-block whatever the tile, so only kc may change bits.
        Random r = new Random(16);
        for (int[] s : new int[][] {{67, 93, 300}, {20, 150, 700}, {130, 41, 128}}) {
            for (int layout = 0; layout < 4; layout++) {
                Problem p = Problem.random(r, s[0], s[1], s[2], (layout & 1) != 0, (layout & 2) != 0);
                java.util.Map<Integer, float[]> byDepth = new java.util.HashMap<>();
                for (SgemmVariant v : SgemmVariant.all()) {
                    float[] out = p.c().clone();
                    Sgemm.packed(v, p.m(), p.n(), p.k(), p.a(), p.aOff(), p.aRs(), p.aCs(), p.b(), p.bOff(), p.bRs(),
                            p.bCs(), out, p.cOff(), p.ldc(), layout >= 2);
                    float[] first = byDepth.putIfAbsent(v.kc(), out);
                    if (first != null) {
                        assertArrayEquals(first, out, v.name() + " vs first kc=" + v.kc() + " " + s[0] + "x" + s[1]
                                + "x" + s[2] + " layout " + layout);
                    }
                }
            }
        }
    }

    @Test
    void directSmallAndBlockedPathsAgreeBitwise() {
        Random r = new Random(15);
        forEachVariant(v -> {
            for (int[] s : new int[][] {{20, 37, 50}, {6, 32, 16}, {13, 70, 200}, {1, 45, 33}, {3, 40, 600}}) {
                for (int layout = 0; layout < 4; layout++) {
                    Problem p = Problem.random(r, s[0], s[1], s[2], (layout & 1) != 0, (layout & 2) != 0);
                    boolean acc = layout >= 2;
                    float[] direct = p.c().clone(), small = p.c().clone(), packed = p.c().clone();
                    SgemmDirect.gemm(v.kc(), p.m(), p.n(), p.k(), p.a(), p.aOff(), p.aRs(), p.aCs(), p.b(), p.bOff(), p.bRs(), p.bCs(),
                            direct, p.cOff(), p.ldc(), acc);
                    if (SgemmSmall.applies(p.m(), p.k(), p.aCs(), v.kc())) {
                        SgemmSmall.gemm(p.m(), p.n(), p.k(), p.a(), p.aOff(), p.aRs(), p.aCs(), p.b(), p.bOff(), p.bRs(), p.bCs(),
                                small, p.cOff(), p.ldc(), acc);
                    }
                    Sgemm.packed(v, p.m(), p.n(), p.k(), p.a(), p.aOff(), p.aRs(), p.aCs(), p.b(), p.bOff(), p.bRs(), p.bCs(),
                            packed, p.cOff(), p.ldc(), acc);
                    String what = s[0] + "x" + s[1] + "x" + s[2] + " layout " + layout;
                    assertArrayEquals(packed, direct, "direct vs packed " + what);
                    if (SgemmSmall.applies(p.m(), p.k(), p.aCs(), v.kc())) assertArrayEquals(packed, small, "small vs packed " + what);
                    p.check(acc, what);
                }
            }
        });
    }

    @Test
    void kZeroClearsOrKeepsC() {
        float[] c = {1, 2, 3, 4, 5, 6, 7};
        Sgemm.gemm(2, 3, 0, new float[0], 0, 0, 1, new float[0], 0, 3, 1, c, 1, 3, true);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7}, c);
        Sgemm.gemm(2, 3, 0, new float[0], 0, 0, 1, new float[0], 0, 3, 1, c, 1, 3, false);
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 0, 0}, c);
    }

    @Test
    void nanAndInfPropagate() {
        withThreads(1, () -> {
            int m = 20, n = 40, k = 30;
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            java.util.Arrays.fill(a, 1f);
            java.util.Arrays.fill(b, 1f);
            a[3 * k + 5] = Float.NaN;
            b[7 * n + 9] = Float.POSITIVE_INFINITY;
            Sgemm.gemm(m, n, k, a, 0, k, 1, b, 0, n, 1, c, 0, n, false);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float v = c[i * n + j];
                    if (i == 3) assertTrue(Float.isNaN(v), "row 3 is NaN");
                    else if (j == 9) assertEquals(Float.POSITIVE_INFINITY, v);
                    else assertEquals(k, v);
                }
            }
        });
    }

    @Test
    void badArgumentsNameTheProblem() {
        float[] x = new float[12];
        Consumer<Runnable> bad = body -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, body::run);
            assertTrue(e.getMessage().startsWith("sgemm"), e.getMessage());
        };
        bad.accept(() -> Sgemm.gemm(-1, 2, 2, x, 0, 2, 1, x, 0, 2, 1, x, 0, 2, false));
        bad.accept(() -> Sgemm.gemm(3, 4, 4, x, 0, 4, 1, x, 0, 4, 1, x, 0, 4, false)); // A needs 12, B 16
        bad.accept(() -> Sgemm.gemm(2, 2, 2, x, 11, 2, 1, x, 0, 2, 1, x, 0, 2, false));
        bad.accept(() -> Sgemm.gemm(2, 3, 2, x, 0, 2, 1, x, 0, 3, 1, x, 0, 2, false)); // ldc < n
        bad.accept(() -> Sgemm.batched(-1, 2, 2, 2, x, 0, 0, 2, 1, x, 0, 0, 2, 1, x, 0, 0, 2, false));
        bad.accept(() -> Sgemm.batched(3, 2, 2, 2, x, 0, 6, 2, 1, x, 0, 0, 2, 1, x, 0, 0, 2, false)); // last A ends at 15
    }
}

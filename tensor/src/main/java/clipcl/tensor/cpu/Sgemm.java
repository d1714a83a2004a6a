package clipcl.tensor.cpu;

import static clipcl.tensor.cpu.SgemmKernel.MR;
import static clipcl.tensor.cpu.SgemmKernel.NR;

import clipcl.tensor.Parallel;

/**
 * Single-precision matrix product on the CPU: C[m,n] (+)= A[m,k] * B[k,n] with every operand given
 * by (array, offset, row stride, column stride), so transposed and otherwise strided views need no
 * copy. C is row-major with leading dimension ldc.
 *
 * <p>GotoBLAS/BLIS structure: B is packed in KC x NC blocks, A in MC x KC blocks, and a 6 x 32
 * register tile ({@link SgemmKernel}) walks them. The k-blocking depends only on k, never on the
 * thread count, and threads own disjoint blocks of C, so every element of C is the same sequence
 * of FMAs whatever the thread count: results are bitwise reproducible across threads.
 * Products with a small row-major A take {@link SgemmSmall} (A read in place), tiny ones and single
 * rows {@link SgemmDirect}; both keep the same sums, bit for bit. Threads split N (A then packed
 * once and shared) or M; a batch of small products is split across the batch instead.
 * {@link SgemmReference} is the scalar oracle.
 */
public final class Sgemm {
    /** Depth of a packed block: a 6 x KC A panel plus a KC x 32 B panel (32 KB) share the 48 KB L1d. */
    static final int KC = 256;
    /** Rows of A per packed block: MC x KC floats (480 KB) stay in the 1 MB L2. */
    static final int MC = 80 * MR;
    /** Columns of B per packed block (KC x NC floats, 3 MB, streamed from L3). */
    static final int NC = 96 * NR;
    /** Below this many multiply-adds packing does not pay: a direct loop is used. */
    static final long DIRECT_MAX = 1L << 13;
    /** Most floats of A packed once and shared by the threads (beyond, each thread packs its own). */
    static final long SHARED_MAX = 1L << 23;
    /** Below this many multiply-adds a single GEMM stays on one thread. */
    static final long PARALLEL_MIN = 1L << 20;

    private Sgemm() { }

    public static void gemm(int m, int n, int k,
                            float[] a, int aOff, int aRs, int aCs,
                            float[] b, int bOff, int bRs, int bCs,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        check(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        long work = (long) m * n * k;
        int t = nestedInWorker() ? 1 : Parallel.threads();
        if (t == 1 || work < PARALLEL_MIN) {
            single(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
            return;
        }
        int nPanels = ceilDiv(n, NR), mPanels = ceilDiv(m, MR);
        if (nPanels >= mPanels || nPanels >= 4 * t) {
            // Split the columns: each thread packs its own slice of B; A is packed once, by all
            // threads together, and shared (packing it per thread would repeat that work).
            float[] sharedA = packShared(m, k, a, aOff, aRs, aCs);
            Parallel.forRange(nPanels, 1, (from, to) -> {
                int j0 = from * NR, j1 = Math.min(n, to * NR);
                if (sharedA != null) {
                    blocked(m, j1 - j0, k, a, aOff, aRs, aCs, sharedA, b, bOff + j0 * bCs, bRs, bCs,
                            c, cOff + j0, ldc, accumulate);
                } else {
                    single(m, j1 - j0, k, a, aOff, aRs, aCs, b, bOff + j0 * bCs, bRs, bCs,
                            c, cOff + j0, ldc, accumulate);
                }
            });
        } else {
            Parallel.forRange(mPanels, 1, (from, to) -> {
                int i0 = from * MR, i1 = Math.min(m, to * MR);
                single(i1 - i0, n, k, a, aOff + i0 * aRs, aRs, aCs, b, bOff, bRs, bCs,
                        c, cOff + i0 * ldc, ldc, accumulate);
            });
        }
    }

    /**
     * {@code batch} independent products: GEMM number q reads A at aOff + q*aBs, B at bOff + q*bBs
     * and writes C at cOff + q*cBs (strides may be 0 to broadcast an operand). Small products run
     * in parallel across the batch, large ones one after another, each parallel inside.
     */
    public static void batched(int batch, int m, int n, int k,
                               float[] a, int aOff, int aBs, int aRs, int aCs,
                               float[] b, int bOff, int bBs, int bRs, int bCs,
                               float[] c, int cOff, int cBs, int ldc, boolean accumulate) {
        if (batch < 0) throw new IllegalArgumentException("sgemm batched: negative batch " + batch);
        if (batch == 0 || m == 0 || n == 0) return;
        check(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc);
        int last = batch - 1;
        check(m, n, k, a, aOff + last * aBs, aRs, aCs, b, bOff + last * bBs, bRs, bCs,
                c, cOff + last * cBs, ldc);
        long work = (long) m * n * k;
        int t = nestedInWorker() ? 1 : Parallel.threads();
        if (batch == 1 || (t > 1 && batch < t && work >= PARALLEL_MIN)) {
            for (int q = 0; q < batch; q++) {
                gemm(m, n, k, a, aOff + q * aBs, aRs, aCs, b, bOff + q * bBs, bRs, bCs,
                        c, cOff + q * cBs, ldc, accumulate);
            }
            return;
        }
        Parallel.RangeBody items = (from, to) -> {
            for (int q = from; q < to; q++) {
                single(m, n, k, a, aOff + q * aBs, aRs, aCs, b, bOff + q * bBs, bRs, bCs,
                        c, cOff + q * cBs, ldc, accumulate);
            }
        };
        if (t == 1) items.run(0, batch);
        else Parallel.forRange(batch, (int) Math.max(1, PARALLEL_MIN / Math.max(1, work)), items);
    }

    /**
     * True on one of Parallel's pool threads: a GEMM called from inside another parallel loop
     * runs on its own thread, since the pool's fixed-size workers waiting on work queued behind
     * themselves would deadlock.
     */
    private static boolean nestedInWorker() {
        return Thread.currentThread().getName().equals("clipcl-worker");
    }

    /** One GEMM on the calling thread. */
    static void single(int m, int n, int k,
                       float[] a, int aOff, int aRs, int aCs,
                       float[] b, int bOff, int bRs, int bCs,
                       float[] c, int cOff, int ldc, boolean accumulate) {
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
            return;
        }
        if ((long) m * n * k <= DIRECT_MAX || m == 1) {
            SgemmDirect.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
            return;
        }
        if (SgemmSmall.applies(m, k, aCs)) {
            SgemmSmall.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
            return;
        }
        blocked(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
    }

    /**
     * All of A packed for every k-block (k-block q at q * mPad * kBlock(k), its MC-blocks as runs
     * of micro-panels), packed in parallel; null where sharing does not pay (A small enough for
     * the small path, a single row) or would hold too much memory.
     */
    private static float[] packShared(int m, int k, float[] a, int aOff, int aRs, int aCs) {
        long size = (long) roundUp(m, MR) * k;
        if (m == 1 || SgemmSmall.applies(m, k, aCs) || size > SHARED_MAX) return null;
        int kcMax = kBlock(k), mPanels = ceilDiv(m, MR), stride = mPanels * MR * kcMax;
        float[] shared = SgemmWorkspace.get().shared(ceilDiv(k, kcMax) * stride);
        Parallel.forRange(mPanels, 1, (from, to) -> {
            int i0 = from * MR, rows = Math.min(m, to * MR) - i0;
            for (int pc = 0, q = 0; pc < k; pc += kcMax, q++) {
                int kc = Math.min(kcMax, k - pc);
                SgemmPack.packA(rows, kc, a, aOff, aRs, aCs, i0, pc, shared, q * stride + i0 * kc);
            }
        });
        return shared;
    }

    /** The packed GotoBLAS loops on the calling thread (m, n, k >= 1). */
    static void blocked(int m, int n, int k,
                        float[] a, int aOff, int aRs, int aCs,
                        float[] b, int bOff, int bRs, int bCs,
                        float[] c, int cOff, int ldc, boolean accumulate) {
        blocked(m, n, k, a, aOff, aRs, aCs, null, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
    }

    /** As above; with sharedA (from {@link #packShared}) A is read from there instead of packed. */
    private static void blocked(int m, int n, int k,
                                float[] a, int aOff, int aRs, int aCs, float[] sharedA,
                                float[] b, int bOff, int bRs, int bCs,
                                float[] c, int cOff, int ldc, boolean accumulate) {
        SgemmWorkspace ws = SgemmWorkspace.get();
        int kcMax = kBlock(k), stride = ceilDiv(m, MR) * MR * kcMax;
        int mcMax = roundUp(ceilDiv(m, ceilDiv(m, MC)), MR);
        int ncMax = roundUp(ceilDiv(n, ceilDiv(n, NC)), NR);
        float[] pa = sharedA != null ? sharedA : ws.a(mcMax * kcMax), pb = ws.b(kcMax * ncMax);
        float[] scratch = ws.scratch();
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            for (int pc = 0, q = 0; pc < k; pc += kcMax, q++) {
                int kc = Math.min(kcMax, k - pc);
                SgemmPack.packB(kc, nc, b, bOff, bRs, bCs, pc, jc, pb);
                boolean add = accumulate || pc > 0;
                for (int ic = 0; ic < m; ic += mcMax) {
                    int mc = Math.min(mcMax, m - ic), ao = 0;
                    if (sharedA != null) ao = q * stride + ic * kc;
                    else SgemmPack.packA(mc, kc, a, aOff, aRs, aCs, ic, pc, pa, 0);
                    macro(mc, nc, kc, pa, ao, pb, scratch, c, cOff + ic * ldc + jc, ldc, add);
                }
            }
        }
    }

    /** All tiles of one packed MC x NC block; B's micro-panel stays in L1 across the ir loop. */
    private static void macro(int mc, int nc, int kc, float[] pa, int aOff, float[] pb, float[] scratch,
                              float[] c, int cOff, int ldc, boolean add) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr), bo = (jr / NR) * kc * NR;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir), ao = aOff + (ir / MR) * kc * MR;
                int co = cOff + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    SgemmKernel.tile(kc, pa, ao, pb, bo, c, co, ldc, add);
                } else {
                    SgemmKernel.edge(kc, pa, ao, pb, bo, scratch, c, co, ldc, mr, nr, add);
                }
            }
        }
    }

    private static void check(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                              float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: negative size m=" + m + " n=" + n + " k=" + k);
        }
        if (m == 0 || n == 0) return;
        if (ldc < n && m > 1) throw new IllegalArgumentException("sgemm: ldc=" + ldc + " < n=" + n);
        span("C", c, cOff, m, n, ldc, 1, m, n, k);
        if (k == 0) return;
        span("A", a, aOff, m, k, aRs, aCs, m, n, k);
        span("B", b, bOff, k, n, bRs, bCs, m, n, k);
    }

    /** Every element of a rows x cols operand must lie inside its array. */
    private static void span(String name, float[] x, int off, int rows, int cols, int rs, int cs,
                             int m, int n, int k) {
        long lo = off + Math.min(0L, (long) (rows - 1) * rs) + Math.min(0L, (long) (cols - 1) * cs);
        long hi = off + Math.max(0L, (long) (rows - 1) * rs) + Math.max(0L, (long) (cols - 1) * cs);
        if (x == null || lo < 0 || hi >= x.length) {
            throw new IllegalArgumentException("sgemm m=" + m + " n=" + n + " k=" + k + ": operand " + name
                    + " [" + rows + "x" + cols + "] at offset " + off + " strides (" + rs + "," + cs
                    + ") does not fit its array of " + (x == null ? "null" : x.length + " floats"));
        }
    }

    /**
     * Depth of each k-block: k split evenly into blocks of at most KC. Depends on k alone, so the
     * order of the sums, and with it every bit of C, does not depend on the thread count or path.
     */
    static int kBlock(int k) { return ceilDiv(k, ceilDiv(k, KC)); }

    static int ceilDiv(int x, int y) { return (x + y - 1) / y; }

    static int roundUp(int x, int y) { return ceilDiv(x, y) * y; }
}

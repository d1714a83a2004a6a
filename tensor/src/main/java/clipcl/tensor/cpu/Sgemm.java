package clipcl.tensor.cpu;

import clipcl.tensor.Parallel;

/**
 * Single-precision matrix product on the CPU: C[m,n] (+)= A[m,k] * B[k,n] with every operand given
 * by (array, offset, row stride, column stride), so transposed and otherwise strided views need no
 * copy. C is row-major with leading dimension ldc.
 *
 * <p>GotoBLAS/BLIS structure: B is packed in KC x NC blocks, A in MC x KC blocks, and a register
 * tile walks them; which tile and block sizes is the machine's {@link SgemmVariant} (by default
 * 6 x 2 vectors, {@link SgemmKernel}, with the blocks below). The k-blocking depends only on k
 * (and the variant), never on the thread count, and threads own disjoint blocks of C, so every
 * element of C is the same sequence of FMAs whatever the thread count: results are bitwise
 * reproducible across threads.
 * Products with a small row-major A take {@link SgemmSmall} (A read in place), tiny ones and single
 * rows {@link SgemmDirect}; both keep the same sums, bit for bit. Threads split N (A then packed
 * once and shared) or M; a batch of small products is split across the batch instead.
 * {@link SgemmReference} is the scalar oracle.
 */
public final class Sgemm {
    // The default blocks (SgemmVariant.BASELINE): depth KC = 256, so a 6 x KC A panel plus a
    // KC x 32 B panel (32 KB) share a 48 KB L1d; MC = 480 rows of A (480 KB) stay in a 1 MB L2;
    // NC = 3072 columns of B (3 MB) stream from L3.
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
        gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, null);
    }

    /**
     * A pass over finished runs of a row of C (c[off, off + len)), in place: run on each tile as
     * its last k-block is stored, while the tile is in L1, instead of as a pass over all of C after.
     */
    @FunctionalInterface
    interface Epilogue {
        void apply(float[] c, int off, int len);
    }

    /** {@link #gemm} with an epilogue (null: none) applied once to every element of C, after its last sum. */
    static void gemm(int m, int n, int k,
                     float[] a, int aOff, int aRs, int aCs,
                     float[] b, int bOff, int bRs, int bCs,
                     float[] c, int cOff, int ldc, boolean accumulate, Epilogue epi) {
        check(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        long work = (long) m * n * k;
        int t = nestedInWorker() ? 1 : Parallel.threads();
        SgemmVariant v = SgemmVariant.active();
        if (t == 1 || work < PARALLEL_MIN) {
            single(v, m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, epi);
            return;
        }
        int nr = v.nr(), mr = v.mr(), nPanels = ceilDiv(n, nr), mPanels = ceilDiv(m, mr);
        if (nPanels >= mPanels || nPanels >= 4 * t) {
            // Split the columns: each thread packs its own slice of B; A is packed once, by all
            // threads together, and shared (packing it per thread would repeat that work).
            float[] sharedA = packShared(v, m, k, a, aOff, aRs, aCs);
            Parallel.forRange(nPanels, 1, (from, to) -> {
                int j0 = from * nr, j1 = Math.min(n, to * nr);
                if (sharedA != null) {
                    packed(v, m, j1 - j0, k, a, aOff, aRs, aCs, sharedA, b, bOff + j0 * bCs, bRs, bCs,
                            c, cOff + j0, ldc, accumulate, epi);
                } else {
                    single(v, m, j1 - j0, k, a, aOff, aRs, aCs, b, bOff + j0 * bCs, bRs, bCs,
                            c, cOff + j0, ldc, accumulate, epi);
                }
            });
        } else {
            Parallel.forRange(mPanels, 1, (from, to) -> {
                int i0 = from * mr, i1 = Math.min(m, to * mr);
                single(v, i1 - i0, n, k, a, aOff + i0 * aRs, aRs, aCs, b, bOff, bRs, bCs,
                        c, cOff + i0 * ldc, ldc, accumulate, epi);
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
        SgemmVariant v = SgemmVariant.active();
        Parallel.RangeBody items = (from, to) -> {
            for (int q = from; q < to; q++) {
                single(v, m, n, k, a, aOff + q * aBs, aRs, aCs, b, bOff + q * bBs, bRs, bCs,
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
    static void single(SgemmVariant v, int m, int n, int k,
                       float[] a, int aOff, int aRs, int aCs,
                       float[] b, int bOff, int bRs, int bCs,
                       float[] c, int cOff, int ldc, boolean accumulate) {
        single(v, m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, null);
    }

    private static void single(SgemmVariant v, int m, int n, int k,
                               float[] a, int aOff, int aRs, int aCs,
                               float[] b, int bOff, int bRs, int bCs,
                               float[] c, int cOff, int ldc, boolean accumulate, Epilogue epi) {
        if (m == 0 || n == 0) return;
        if (epi != null && (k == 0 || (long) m * n * k <= DIRECT_MAX || m == 1 || SgemmSmall.applies(m, k, aCs, v.kc()))) {
            // The unpacked paths have no tiles to hook: the epilogue is a pass over C after them.
            single(v, m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, null);
            for (int i = 0; i < m; i++) epi.apply(c, cOff + i * ldc, n);
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
            return;
        }
        if ((long) m * n * k <= DIRECT_MAX || m == 1) {
            SgemmDirect.gemm(v.kc(), m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
            return;
        }
        if (SgemmSmall.applies(m, k, aCs, v.kc())) {
            SgemmSmall.gemm(m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc, accumulate);
            return;
        }
        packed(v, m, n, k, a, aOff, aRs, aCs, null, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, epi);
    }

    /**
     * All of A packed for every k-block (k-block q at q * mPad * kBlock(k), its MC-blocks as runs
     * of micro-panels), packed in parallel; null where sharing does not pay (A small enough for
     * the small path, a single row) or would hold too much memory.
     */
    private static float[] packShared(SgemmVariant v, int m, int k, float[] a, int aOff, int aRs, int aCs) {
        int mr = v.mr();
        long size = (long) roundUp(m, mr) * k;
        if (m == 1 || SgemmSmall.applies(m, k, aCs, v.kc()) || size > SHARED_MAX) return null;
        int kcMax = kBlock(k, v.kc()), mPanels = ceilDiv(m, mr), stride = mPanels * mr * kcMax;
        float[] shared = SgemmWorkspace.get().shared(ceilDiv(k, kcMax) * stride);
        Parallel.forRange(mPanels, 1, (from, to) -> {
            int i0 = from * mr, rows = Math.min(m, to * mr) - i0;
            for (int pc = 0, q = 0; pc < k; pc += kcMax, q++) {
                int kc = Math.min(kcMax, k - pc);
                SgemmPack.packA(rows, kc, a, aOff, aRs, aCs, i0, pc, shared, q * stride + i0 * kc, mr);
            }
        });
        return shared;
    }

    /** The packed GotoBLAS loops of variant v on the calling thread (m, n, k >= 1). */
    static void packed(SgemmVariant v, int m, int n, int k,
                        float[] a, int aOff, int aRs, int aCs,
                        float[] b, int bOff, int bRs, int bCs,
                        float[] c, int cOff, int ldc, boolean accumulate) {
        packed(v, m, n, k, a, aOff, aRs, aCs, null, b, bOff, bRs, bCs, c, cOff, ldc, accumulate, null);
    }

    /**
     * The packed GotoBLAS loops on the calling thread (m, n, k >= 1); with sharedA (from
     * {@link #packShared}) A is read from there instead of packed.
     */
    private static void packed(SgemmVariant v, int m, int n, int k,
                                float[] a, int aOff, int aRs, int aCs, float[] sharedA,
                                float[] b, int bOff, int bRs, int bCs,
                                float[] c, int cOff, int ldc, boolean accumulate, Epilogue epi) {
        SgemmWorkspace ws = SgemmWorkspace.get();
        int mr = v.mr(), nr = v.nr();
        int kcMax = kBlock(k, v.kc()), stride = ceilDiv(m, mr) * mr * kcMax;
        int mcMax = roundUp(ceilDiv(m, ceilDiv(m, v.mc())), mr);
        int ncMax = roundUp(ceilDiv(n, ceilDiv(n, v.nc())), nr);
        float[] pa = sharedA != null ? sharedA : ws.a(mcMax * kcMax), pb = ws.b(kcMax * ncMax);
        float[] scratch = ws.scratch();
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            for (int pc = 0, q = 0; pc < k; pc += kcMax, q++) {
                int kc = Math.min(kcMax, k - pc);
                SgemmPack.packB(kc, nc, b, bOff, bRs, bCs, pc, jc, pb, nr);
                boolean add = accumulate || pc > 0;
                Epilogue last = pc + kc >= k ? epi : null;
                for (int ic = 0; ic < m; ic += mcMax) {
                    int mc = Math.min(mcMax, m - ic), ao = 0;
                    if (sharedA != null) ao = q * stride + ic * kc;
                    else SgemmPack.packA(mc, kc, a, aOff, aRs, aCs, ic, pc, pa, 0, mr);
                    macro(v.kernel(), mc, nc, kc, pa, ao, pb, scratch, c, cOff + ic * ldc + jc, ldc, add, last);
                }
            }
        }
    }

    /**
     * All tiles of one packed MC x NC block; B's micro-panel stays in L1 across the ir loop. Edge
     * tiles run the full kernel into scratch (the packed panels are zero-padded) and copy the live
     * part out: the same FMA chains as a full tile, so results do not depend on where a tile falls.
     */
    private static void macro(SgemmVariant.Kernel kernel, int mc, int nc, int kc, float[] pa, int aOff,
                              float[] pb, float[] scratch, float[] c, int cOff, int ldc, boolean add, Epilogue epi) {
        int mrFull = kernel.mr, nrFull = kernel.nr;
        for (int jr = 0; jr < nc; jr += nrFull) {
            int nr = Math.min(nrFull, nc - jr), bo = (jr / nrFull) * kc * nrFull;
            for (int ir = 0; ir < mc; ir += mrFull) {
                int mr = Math.min(mrFull, mc - ir), ao = aOff + (ir / mrFull) * kc * mrFull;
                boolean full = mr == mrFull && nr == nrFull;
                float[] dst = full ? c : scratch;
                int co = full ? cOff + ir * ldc + jr : 0, ld = full ? ldc : nrFull;
                boolean acc = full && add;
                switch (kernel) {
                    case K6X2 -> SgemmKernel.tile(kc, pa, ao, pb, bo, dst, co, ld, acc);
                    case K4X3 -> SgemmKernel4x3.tile(kc, pa, ao, pb, bo, dst, co, ld, acc);
                    case K6X2_256 -> SgemmKernelHalf.tile(kc, pa, ao, pb, bo, dst, co, ld, acc);
                }
                if (!full) SgemmKernel.copyEdge(scratch, nrFull, c, cOff + ir * ldc + jr, ldc, mr, nr, add);
                if (epi != null) {
                    for (int r = 0; r < mr; r++) epi.apply(c, cOff + (ir + r) * ldc + jr, nr);
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
     * Depth of each k-block: k split evenly into blocks of at most kc (the variant's). Depends on k
     * alone, so the order of the sums, and with it every bit of C, does not depend on the thread
     * count or path.
     */
    static int kBlock(int k, int kc) { return ceilDiv(k, ceilDiv(k, kc)); }

    static int ceilDiv(int x, int y) { return (x + y - 1) / y; }

    static int roundUp(int x, int y) { return ceilDiv(x, y) * y; }
}

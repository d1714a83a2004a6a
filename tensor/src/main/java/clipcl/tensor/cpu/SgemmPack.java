package clipcl.tensor.cpu;

import static clipcl.tensor.cpu.SgemmKernel.L;

/**
 * Copies blocks of A and B into the layouts the micro-kernel streams: A as micro-panels of pr rows
 * (the kernel's tile height; each p holds pr consecutive floats), B as micro-panels of pc columns
 * (its tile width, a multiple of L; each p holds pc consecutive floats). Any row/column strides are
 * accepted, so transposed operands cost nothing beyond this copy; partial panels are zero-padded.
 */
final class SgemmPack {
    private SgemmPack() { }

    /** Packs A[i0 .. i0+mc, p0 .. p0+kc] into dst at dOff: ceil(mc/pr) panels of kc*pr floats. */
    static void packA(int mc, int kc, float[] a, int aOff, int aRs, int aCs, int i0, int p0, float[] dst, int dOff,
                      int pr) {
        int d = dOff;
        for (int ir = 0; ir < mc; ir += pr) {
            int mr = Math.min(pr, mc - ir);
            int base = aOff + (i0 + ir) * aRs + p0 * aCs;
            if (aCs == 1) {
                // Row-major A: read each row sequentially, write with stride pr.
                for (int r = 0; r < mr; r++) {
                    int src = base + r * aRs;
                    for (int p = 0, o = d + r; p < kc; p++, o += pr) dst[o] = a[src + p];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = base + p * aCs, o = d + p * pr;
                    for (int r = 0; r < mr; r++) dst[o + r] = a[src + r * aRs];
                }
            }
            if (mr < pr) {
                for (int p = 0; p < kc; p++) {
                    for (int r = mr; r < pr; r++) dst[d + p * pr + r] = 0f;
                }
            }
            d += kc * pr;
        }
    }

    /** Packs B[p0 .. p0+kc, j0 .. j0+nc] into dst: ceil(nc/pc) panels of kc*pc floats. */
    static void packB(int kc, int nc, float[] b, int bOff, int bRs, int bCs, int p0, int j0, float[] dst, int pc) {
        int panel = kc * pc, full = nc / pc;
        if (bCs == 1 && full > 0) {
            // Row-major B: walk each row of B once, front to back, scattering it over the panels
            // (walking a panel down its rows thrashes L1 when rows are 4 KB apart). arraycopy:
            // measured ~30x faster here than a FloatVector load/store pair for this copy.
            for (int p = 0; p < kc; p++) {
                int src = bOff + (p0 + p) * bRs + j0, o = p * pc;
                for (int q = 0; q < full; q++, src += pc, o += panel) System.arraycopy(b, src, dst, o, pc);
            }
        } else if (bRs == 1 && nc >= L) {
            // B stored transposed ([n,k] row-major, as in x @ W^T): L x L register transposes for
            // every whole group of L columns, scalar copies for the rest, zeros past the edge.
            int kt = kc - kc % L;
            full = Sgemm.ceilDiv(nc, pc);
            for (int q = 0; q < full; q++) {
                int src = bOff + p0 + (j0 + q * pc) * bCs, o = q * panel, nr = Math.min(pc, nc - q * pc);
                for (int h = 0; h < pc; h += L) {
                    int live = Math.max(0, Math.min(L, nr - h));
                    if (live == L) {
                        for (int p = 0; p < kt; p += L) {
                            SgemmTranspose.block(b, src + h * bCs + p, bCs, dst, o + p * pc + h, pc);
                        }
                    }
                    for (int j = 0; j < live; j++) {
                        int s = src + (h + j) * bCs;
                        for (int p = live == L ? kt : 0; p < kc; p++) dst[o + p * pc + h + j] = b[s + p];
                    }
                    for (int j = live; j < L; j++) {
                        for (int p = 0; p < kc; p++) dst[o + p * pc + h + j] = 0f;
                    }
                }
            }
            return;
        } else {
            full = 0;
        }
        for (int jr = full * pc, d = full * panel; jr < nc; jr += pc, d += panel) {
            int nr = Math.min(pc, nc - jr);
            int base = bOff + p0 * bRs + (j0 + jr) * bCs;
            if (bCs == 1) {
                for (int p = 0, o = d; p < kc; p++, o += pc) {
                    int src = base + p * bRs;
                    for (int j = 0; j < nr; j++) dst[o + j] = b[src + j];
                    for (int j = nr; j < pc; j++) dst[o + j] = 0f;
                }
            } else {
                // Column-major or otherwise strided B: read each column sequentially.
                for (int j = 0; j < nr; j++) {
                    int src = base + j * bCs;
                    for (int p = 0, o = d + j; p < kc; p++, o += pc) dst[o] = b[src + p * bRs];
                }
                for (int p = 0; p < kc; p++) {
                    for (int j = nr; j < pc; j++) dst[d + p * pc + j] = 0f;
                }
            }
        }
    }
}

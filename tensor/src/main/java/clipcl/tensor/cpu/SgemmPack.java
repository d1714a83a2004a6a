package clipcl.tensor.cpu;

import static clipcl.tensor.cpu.SgemmKernel.L;
import static clipcl.tensor.cpu.SgemmKernel.MR;
import static clipcl.tensor.cpu.SgemmKernel.NR;

/**
 * Copies blocks of A and B into the layouts the micro-kernel streams: A as micro-panels of MR rows
 * (each p holds MR consecutive floats), B as micro-panels of NR columns (each p holds NR
 * consecutive floats). Any row/column strides are accepted, so transposed operands cost nothing
 * beyond this copy; partial panels are zero-padded.
 */
final class SgemmPack {
    private SgemmPack() { }

    /** Packs A[i0 .. i0+mc, p0 .. p0+kc] into dst at dOff: ceil(mc/MR) panels of kc*MR floats. */
    static void packA(int mc, int kc, float[] a, int aOff, int aRs, int aCs, int i0, int p0, float[] dst, int dOff) {
        int d = dOff;
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = aOff + (i0 + ir) * aRs + p0 * aCs;
            if (aCs == 1) {
                // Row-major A: read each row sequentially, write with stride MR.
                for (int r = 0; r < mr; r++) {
                    int src = base + r * aRs;
                    for (int p = 0, o = d + r; p < kc; p++, o += MR) dst[o] = a[src + p];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = base + p * aCs, o = d + p * MR;
                    for (int r = 0; r < mr; r++) dst[o + r] = a[src + r * aRs];
                }
            }
            if (mr < MR) {
                for (int p = 0; p < kc; p++) {
                    for (int r = mr; r < MR; r++) dst[d + p * MR + r] = 0f;
                }
            }
            d += kc * MR;
        }
    }

    /** Packs B[p0 .. p0+kc, j0 .. j0+nc] into dst: ceil(nc/NR) panels of kc*NR floats. */
    static void packB(int kc, int nc, float[] b, int bOff, int bRs, int bCs, int p0, int j0, float[] dst) {
        int panel = kc * NR, full = nc / NR;
        if (bCs == 1 && full > 0) {
            // Row-major B: walk each row of B once, front to back, scattering it over the panels
            // (walking a panel down its rows thrashes L1 when rows are 4 KB apart). arraycopy:
            // measured ~30x faster here than a FloatVector load/store pair for this copy.
            for (int p = 0; p < kc; p++) {
                int src = bOff + (p0 + p) * bRs + j0, o = p * NR;
                for (int q = 0; q < full; q++, src += NR, o += panel) System.arraycopy(b, src, dst, o, NR);
            }
        } else if (bRs == 1 && nc >= L) {
            // B stored transposed ([n,k] row-major, as in x @ W^T): L x L register transposes for
            // every whole group of L columns, scalar copies for the rest, zeros past the edge.
            int kt = kc - kc % L;
            full = Sgemm.ceilDiv(nc, NR);
            for (int q = 0; q < full; q++) {
                int src = bOff + p0 + (j0 + q * NR) * bCs, o = q * panel, nr = Math.min(NR, nc - q * NR);
                for (int h = 0; h < NR; h += L) {
                    int live = Math.max(0, Math.min(L, nr - h));
                    if (live == L) {
                        for (int p = 0; p < kt; p += L) {
                            SgemmTranspose.block(b, src + h * bCs + p, bCs, dst, o + p * NR + h, NR);
                        }
                    }
                    for (int j = 0; j < live; j++) {
                        int s = src + (h + j) * bCs;
                        for (int p = live == L ? kt : 0; p < kc; p++) dst[o + p * NR + h + j] = b[s + p];
                    }
                    for (int j = live; j < L; j++) {
                        for (int p = 0; p < kc; p++) dst[o + p * NR + h + j] = 0f;
                    }
                }
            }
            return;
        } else {
            full = 0;
        }
        for (int jr = full * NR, d = full * panel; jr < nc; jr += NR, d += panel) {
            int nr = Math.min(NR, nc - jr);
            int base = bOff + p0 * bRs + (j0 + jr) * bCs;
            if (bCs == 1) {
                for (int p = 0, o = d; p < kc; p++, o += NR) {
                    int src = base + p * bRs;
                    for (int j = 0; j < nr; j++) dst[o + j] = b[src + j];
                    for (int j = nr; j < NR; j++) dst[o + j] = 0f;
                }
            } else {
                // Column-major or otherwise strided B: read each column sequentially.
                for (int j = 0; j < nr; j++) {
                    int src = base + j * bCs;
                    for (int p = 0, o = d + j; p < kc; p++, o += NR) dst[o] = b[src + p * bRs];
                }
                for (int p = 0; p < kc; p++) {
                    for (int j = nr; j < NR; j++) dst[d + p * NR + j] = 0f;
                }
            }
        }
    }
}

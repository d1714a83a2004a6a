package clipcl.tensor.cpu;

import java.util.ArrayList;
import java.util.List;

/**
 * One way to run the packed SGEMM: which register tile walks the packed panels ({@code mr} rows
 * by {@code nr} columns) and how large the packed blocks are ({@code kc} deep, {@code mc} rows of A,
 * {@code nc} columns of B). Which one is fastest depends on the CPU (L1 size, whether 512-bit FMAs
 * run at full width or as two 256-bit halves), so {@link SgemmTuning} picks one per machine.
 *
 * <p>Every element of C is the same FMA chain over each k-block whatever the tile, so variants
 * with the same {@code kc} give the same bits; a different {@code kc} regroups the k-blocks (still
 * independent of the thread count, so each variant is bitwise reproducible across threads).
 */
public record SgemmVariant(String name, Kernel kernel, int kc, int mc, int nc) {
    /** The register tiles: rows x vectors of the species they run on. */
    public enum Kernel {
        /** 6 rows x 2 vectors of the preferred species (12 accumulators). */
        K6X2(6, 2 * SgemmKernel.L),
        /** 4 rows x 3 vectors of the preferred species (12 accumulators, fewer broadcasts per FMA). */
        K4X3(4, 3 * SgemmKernel.L),
        /** 6 rows x 2 vectors of 256 bits: for CPUs that split each 512-bit FMA in two. */
        K6X2_256(6, 2 * SgemmKernelHalf.L);

        final int mr, nr;

        Kernel(int mr, int nr) {
            this.mr = mr;
            this.nr = nr;
        }
    }

    /** The kernel the library shipped with first: the default wherever no tuning says otherwise. */
    public static final SgemmVariant BASELINE = new SgemmVariant("6x2-k256", Kernel.K6X2, 256, 80 * 6, 96 * Kernel.K6X2.nr);

    public SgemmVariant {
        if (kc < 1 || mc < kernel.mr || mc % kernel.mr != 0 || nc < kernel.nr || nc % kernel.nr != 0) {
            throw new IllegalArgumentException("sgemm variant " + name + ": kc=" + kc + " mc=" + mc + " nc=" + nc
                    + " must be positive multiples of the " + kernel.mr + "x" + kernel.nr + " tile");
        }
    }

    public int mr() { return kernel.mr; }

    public int nr() { return kernel.nr; }

    /**
     * The variants worth trying on this JVM: the 256-bit tile only where the preferred species is
     * wider (on AVX2 it would be the first tile again); the shallow blocks (kc 128) for CPUs with a
     * 32 KB L1d, where a 256-deep B panel of 32 columns fills it alone.
     */
    public static List<SgemmVariant> all() {
        List<SgemmVariant> out = new ArrayList<>();
        out.add(BASELINE);
        out.add(new SgemmVariant("6x2-k128", Kernel.K6X2, 128, 160 * 6, 96 * Kernel.K6X2.nr));
        out.add(new SgemmVariant("4x3-k256", Kernel.K4X3, 256, 120 * 4, 64 * Kernel.K4X3.nr));
        out.add(new SgemmVariant("4x3-k128", Kernel.K4X3, 128, 240 * 4, 64 * Kernel.K4X3.nr));
        if (SgemmKernel.L > SgemmKernelHalf.L) {
            out.add(new SgemmVariant("6x2h-k256", Kernel.K6X2_256, 256, 80 * 6, 192 * Kernel.K6X2_256.nr));
            out.add(new SgemmVariant("6x2h-k128", Kernel.K6X2_256, 128, 160 * 6, 192 * Kernel.K6X2_256.nr));
        }
        return List.copyOf(out);
    }

    public static SgemmVariant byName(String name) {
        for (SgemmVariant v : all()) if (v.name.equals(name)) return v;
        throw new IllegalArgumentException("unknown sgemm variant '" + name + "' (this JVM has: "
                + all().stream().map(SgemmVariant::name).toList() + ")");
    }

    private static volatile SgemmVariant active;

    /** The variant every SGEMM of this JVM uses (resolved once by {@link SgemmTuning#resolve}). */
    public static SgemmVariant active() {
        SgemmVariant v = active;
        if (v == null) {
            synchronized (SgemmVariant.class) {
                if (active == null) active = SgemmTuning.resolve();
                v = active;
            }
        }
        return v;
    }

    /**
     * Switches every later SGEMM to {@code v}; returns the one it replaces. For tuning, benchmarks
     * and tests: switching while products run on other threads would mix two variants in one result.
     */
    public static synchronized SgemmVariant use(SgemmVariant v) {
        SgemmVariant old = active();
        active = v;
        return old;
    }
}

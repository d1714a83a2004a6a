package clipcl.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The FMA peak of one core, measured: a loop of independent vector FMAs (no loads, enough chains to
 * cover the latency) on 512-bit and on 256-bit vectors. Comparing the two tells the
 * microarchitecture apart: full-width AVX-512 (512-bit throughput about twice the 256-bit),
 * AVX-512 on 256-bit units (about equal: each 512-bit FMA is split in two), or AVX2 only (no
 * 512-bit species preferred). Benchmarks report their fraction of this peak instead of a constant.
 */
public record FmaPeak(double gflops512, double gflops256, int preferredBits) {
    /** Independent accumulator chains: latency 4 x 2 pipes needs 8; 12 leaves margin. */
    private static final int CHAINS = 12;
    private static final int ITERS = 1 << 14;

    /** The best of the two widths: what one core can reach. */
    public double perCore() { return Double.isNaN(gflops512) ? gflops256 : Math.max(gflops512, gflops256); }

    /** 512-bit FMAs run at no more than 1.4x the 256-bit rate: two 256-bit halves per instruction. */
    public boolean doublePumped() { return preferredBits >= 512 && gflops512 < 1.4 * gflops256; }

    public String microarchitecture() {
        if (preferredBits < 512) return "AVX2 (" + preferredBits + "-bit vectors preferred)";
        return doublePumped() ? "AVX-512 on 256-bit FMA units (double-pumped)" : "AVX-512, full-width FMA units";
    }

    @Override
    public String toString() {
        return String.format("%s: FMA peak %.1f GFLOP/s per core (512-bit %.1f, 256-bit %.1f)",
                microarchitecture(), perCore(), gflops512, gflops256);
    }

    private static volatile FmaPeak cached;

    /** Measured once per JVM (about 0.3 s on the calling thread), then remembered. */
    public static FmaPeak get() {
        FmaPeak p = cached;
        if (p == null) cached = p = measure(0.15);
        return p;
    }

    /** Measures each width for about {@code seconds} after a short warm-up; the best repetition counts. */
    public static FmaPeak measure(double seconds) {
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        double g256 = rate(FloatVector.SPECIES_256, seconds);
        // On an AVX2-only CPU the 512-bit species is emulated in software: not a peak worth timing.
        double g512 = bits >= 512 ? rate(FloatVector.SPECIES_512, seconds) : Double.NaN;
        return new FmaPeak(g512, g256, bits);
    }

    private static double rate(VectorSpecies<Float> s, double seconds) {
        boolean wide = s.length() == FloatVector.SPECIES_512.length();
        float sink = 0;
        // Warm-up by call count, not time: interpreted, a vector FMA is a heap object, and a timed
        // warm-up can end before C2 has compiled the loop (on a busy machine, long before).
        for (int i = 0; i < 4000; i++) sink += wide ? loop512(64) : loop256(64);
        double best = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (int rep = 0; rep < 5 || System.nanoTime() < end; rep++) {
            long t0 = System.nanoTime();
            sink += wide ? loop512(ITERS) : loop256(ITERS);
            long dt = System.nanoTime() - t0;
            best = Math.max(best, 2.0 * CHAINS * s.length() * ITERS / dt);
        }
        if (sink == 42.4242f) System.out.print("");  // keeps the loops' results alive
        return best;
    }

    // Two copies rather than one method taking a species: the species must be a constant for C2
    // to turn the calls into single instructions.
    private static float loop512(int iters) {
        VectorSpecies<Float> s = FloatVector.SPECIES_512;
        FloatVector m = FloatVector.broadcast(s, 0.999999f), a = FloatVector.broadcast(s, 1e-7f);
        FloatVector x0 = a, x1 = a, x2 = a, x3 = a, x4 = a, x5 = a, x6 = a, x7 = a, x8 = a, x9 = a, x10 = a, x11 = a;
        for (int i = 0; i < iters; i++) {
            x0 = x0.fma(m, a); x1 = x1.fma(m, a); x2 = x2.fma(m, a); x3 = x3.fma(m, a);
            x4 = x4.fma(m, a); x5 = x5.fma(m, a); x6 = x6.fma(m, a); x7 = x7.fma(m, a);
            x8 = x8.fma(m, a); x9 = x9.fma(m, a); x10 = x10.fma(m, a); x11 = x11.fma(m, a);
        }
        return x0.add(x1).add(x2).add(x3).add(x4).add(x5).add(x6).add(x7).add(x8).add(x9).add(x10).add(x11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    private static float loop256(int iters) {
        VectorSpecies<Float> s = FloatVector.SPECIES_256;
        FloatVector m = FloatVector.broadcast(s, 0.999999f), a = FloatVector.broadcast(s, 1e-7f);
        FloatVector x0 = a, x1 = a, x2 = a, x3 = a, x4 = a, x5 = a, x6 = a, x7 = a, x8 = a, x9 = a, x10 = a, x11 = a;
        for (int i = 0; i < iters; i++) {
            x0 = x0.fma(m, a); x1 = x1.fma(m, a); x2 = x2.fma(m, a); x3 = x3.fma(m, a);
            x4 = x4.fma(m, a); x5 = x5.fma(m, a); x6 = x6.fma(m, a); x7 = x7.fma(m, a);
            x8 = x8.fma(m, a); x9 = x9.fma(m, a); x10 = x10.fma(m, a); x11 = x11.fma(m, a);
        }
        return x0.add(x1).add(x2).add(x3).add(x4).add(x5).add(x6).add(x7).add(x8).add(x9).add(x10).add(x11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}

package clipcl.bench;

import clipcl.tensor.cpu.FmaPeak;
import clipcl.tensor.cpu.Sgemm;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Times our SGEMM on float arrays and, when OpenBLAS is at hand, the peer in the same JVM,
 * alternating short bursts of each so that load from other processes falls on both alike.
 */
public final class SgemmBench {
    /** FMA peak of one core of this machine, measured when the benchmark first runs (see {@link FmaPeak}). */
    public static final double PEAK_GFLOPS_PER_CORE = FmaPeak.get().perCore();

    /** C[batch][m,n] = A[batch][m,k] * B[batch][k,n]; transB stores B as [n,k] (x @ W^T). */
    public record Shape(String name, int batch, int m, int k, int n, boolean transB) {
        public double flops() { return 2.0 * batch * m * n * k; }

        public static Shape square(int size) {
            return new Shape(size + "^3", 1, size, size, size, false);
        }
    }

    /** CLIP ViT-B/32 shapes at batch 8 (8 images x 50 tokens), plus attention scores. */
    public static List<Shape> clipShapes() {
        return List.of(
                new Shape("qkv 400x768x2304", 1, 400, 768, 2304, false),
                new Shape("qkv^T 400x768x2304", 1, 400, 768, 2304, true),
                new Shape("fc1 400x768x3072", 1, 400, 768, 3072, false),
                new Shape("fc2 400x3072x768", 1, 400, 3072, 768, false),
                new Shape("fc2^T 400x3072x768", 1, 400, 3072, 768, true),
                new Shape("attn 96x[50x64x50]", 96, 50, 64, 50, true));
    }

    /** The short names of {@link #clipShapes()}, in its order, as the command line and JMH take them. */
    public static final List<String> CLIP_SHAPE_NAMES = List.of("qkv", "qkvT", "fc1", "fc2", "fc2T", "attn");

    /** A CLIP shape by its short name (qkv, qkvT, fc1, fc2, fc2T, attn), or N for N x N x N. */
    public static Shape shape(String name) {
        int i = CLIP_SHAPE_NAMES.indexOf(name);
        if (i >= 0) return clipShapes().get(i);
        try {
            return Shape.square(Integer.parseInt(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unknown shape '" + name + "' (" + String.join(", ", CLIP_SHAPE_NAMES) + ", or a size N)");
        }
    }

    /** Per-call times in ms; median and best; peer fields NaN when no peer ran. */
    public record Result(Shape shape, int threads, double medianMs, double bestMs,
                         double peerMedianMs, double peerBestMs, int calls,
                         double cpuMedianMs, double peerCpuMedianMs) {
        public double gflops() { return shape.flops() / (medianMs * 1e6); }

        public double peerGflops() { return shape.flops() / (peerMedianMs * 1e6); }

        public double peakFraction() { return gflops() / (PEAK_GFLOPS_PER_CORE * threads); }

        /**
         * Single-threaded only (NaN otherwise): GFLOP/s from the calling thread's CPU time, which
         * leaves out the time the OS gave to other processes; steadier on a busy machine.
         */
        public double cpuGflops() { return shape.flops() / (cpuMedianMs * 1e6); }

        public double peerCpuGflops() { return shape.flops() / (peerCpuMedianMs * 1e6); }
    }

    /**
     * A peer SGEMM in the same JVM: {@code prepare} copies the operands into the peer's own memory
     * and returns the call to time (C = A * B for the whole batch) at that thread count.
     */
    public interface Peer {
        String name();

        Runnable prepare(Shape s, int threads, float[] a, float[] b);
    }

    /** OpenBLAS's cblas_sgemm as a {@link Peer}. */
    public static Peer openBlas(OpenBlasPeer p) {
        return new Peer() {
            @Override
            public String name() { return "OpenBLAS " + p.coreName(); }

            @Override
            public Runnable prepare(Shape s, int threads, float[] a, float[] b) {
                p.setThreads(threads);
                MemorySegment pa = p.floats(a), pb = p.floats(b), pc = p.floats(new float[s.batch * s.m * s.n]);
                return () -> peer(p, s, pa, pb, pc);
            }
        };
    }

    private SgemmBench() { }

    /**
     * Warms up, then alternates bursts of about 0.2 s of ours and of the peer until {@code seconds}
     * of measuring have passed for each side (at least 5 calls each).
     */
    public static Result run(Shape s, int threads, double seconds, Optional<OpenBlasPeer> peer) {
        return run(s, threads, seconds, peer.map(SgemmBench::openBlas).orElse(null));
    }

    /** As above with any peer (null: ours alone). */
    public static Result run(Shape s, int threads, double seconds, Peer peer) {
        String saved = System.getProperty("clipcl.threads");
        System.setProperty("clipcl.threads", Integer.toString(threads));
        try {
            SplittableRandom r = new SplittableRandom(7);
            int aLen = s.batch * s.m * s.k, bLen = s.batch * s.k * s.n, cLen = s.batch * s.m * s.n;
            float[] a = random(r, aLen), b = random(r, bLen), c = new float[cLen];
            Runnable ours = () -> ours(s, a, b, c);
            Runnable theirs = peer == null ? null : peer.prepare(s, threads, a, b);
            warm(ours, 1.0);
            if (theirs != null) warm(theirs, 0.5);
            List<Double> mine = new ArrayList<>(), peers = new ArrayList<>();
            List<Double> mineCpu = new ArrayList<>(), peersCpu = new ArrayList<>();
            double spentOurs = 0, spentPeer = 0;
            while (spentOurs < seconds * 1e3 || mine.size() < 5
                    || (theirs != null && (spentPeer < seconds * 1e3 || peers.size() < 5))) {
                spentOurs += burst(ours, mine, mineCpu);
                if (theirs != null) spentPeer += burst(theirs, peers, peersCpu);
            }
            double[] m = stats(mine), p = theirs == null ? new double[] {Double.NaN, Double.NaN} : stats(peers);
            double cpu = threads == 1 ? stats(mineCpu)[0] : Double.NaN;
            double peerCpu = threads == 1 && theirs != null ? stats(peersCpu)[0] : Double.NaN;
            return new Result(s, threads, m[0], m[1], p[0], p[1], mine.size(), cpu, peerCpu);
        } finally {
            if (saved == null) System.clearProperty("clipcl.threads");
            else System.setProperty("clipcl.threads", saved);
        }
    }

    private static void ours(Shape s, float[] a, float[] b, float[] c) {
        int bRs = s.transB ? 1 : s.n, bCs = s.transB ? s.k : 1;
        if (s.batch == 1) {
            Sgemm.gemm(s.m, s.n, s.k, a, 0, s.k, 1, b, 0, bRs, bCs, c, 0, s.n, false);
        } else {
            Sgemm.batched(s.batch, s.m, s.n, s.k, a, 0, s.m * s.k, s.k, 1, b, 0, s.k * s.n, bRs, bCs,
                    c, 0, s.m * s.n, s.n, false);
        }
    }

    private static void peer(OpenBlasPeer p, Shape s, MemorySegment a, MemorySegment b, MemorySegment c) {
        long fa = 4L * s.m * s.k, fb = 4L * s.k * s.n, fc = 4L * s.m * s.n;
        for (int q = 0; q < s.batch; q++) {
            p.sgemm(s.m, s.n, s.k, a.asSlice(q * fa, fa), b.asSlice(q * fb, fb), s.transB, c.asSlice(q * fc, fc));
        }
    }

    /**
     * Runs body until the JIT has settled: bursts of about 200 ms until the best call of a burst is
     * no longer 3% faster than the best so far (at least {@code minSeconds}, at most 15 s). On a
     * loaded machine the compiler threads get little CPU, so a fixed warm-up is not enough.
     */
    static void warm(Runnable body, double minSeconds) {
        long t0 = System.nanoTime();
        double best = Double.MAX_VALUE;
        List<Double> times = new ArrayList<>();
        while (true) {
            times.clear();
            burst(body, times, new ArrayList<>());
            double b = times.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double elapsed = (System.nanoTime() - t0) / 1e9;
            boolean improved = b < best * 0.97;
            best = Math.min(best, b);
            if ((!improved && elapsed >= minSeconds) || elapsed > 15) return;
        }
    }

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    /** Runs body for about 200 ms (at least one call); records each call's wall and CPU ms; returns ms spent. */
    private static double burst(Runnable body, List<Double> times, List<Double> cpuTimes) {
        long t0 = System.nanoTime(), now;
        do {
            long c = MX.getCurrentThreadCpuTime(), s = System.nanoTime();
            body.run();
            now = System.nanoTime();
            cpuTimes.add((MX.getCurrentThreadCpuTime() - c) / 1e6);
            times.add((now - s) / 1e6);
        } while (now - t0 < 200_000_000L);
        return (now - t0) / 1e6;
    }

    private static double[] stats(List<Double> times) {
        double[] t = times.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(t);
        return new double[] {t[t.length / 2], t[0]};
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }
}

package clipcl.tools;

import clipcl.bench.OpenBlasPeer;
import clipcl.bench.SgemmBench;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `clipcl bench sgemm`: the Vector API SGEMM's GFLOP/s, optionally beside OpenBLAS in the same process. */
@Command(name = "sgemm", mixinStandardHelpOptions = true,
        description = {"times C = A @ B in float32 with the Vector API SGEMM (median of repeated calls after warm-up) and reports "
            + "GFLOP/s and the fraction of the FMA peak (measured at start-up per core, times T)", ""},
        footer = {"", "With one thread, GFLOP/s by the thread's CPU time is reported too (cpu_gflops): on a machine shared with other "
            + "work it is the steadier figure. The JSON line: {\"gflops\":..., \"size\":..., \"threads\":..., ...}."})
public final class BenchSgemmCommand implements Callable<Integer> {
    @Option(names = "--size", paramLabel = "N", description = "N x N x N (default ${DEFAULT-VALUE})")
    int size = 1024;

    @Option(names = "--shape", paramLabel = "NAME", description = {
        "a CLIP ViT-B/32 shape at batch 8 instead of --size: qkv 400x768x2304, qkvT (B stored as [n,k]), fc1 400x768x3072, "
            + "fc2 400x3072x768, fc2T, attn 96 x [50x64x50]"})
    String shapeName;

    @Mixin
    BenchOptions bench = new BenchOptions(3);

    @Option(names = "--peer", description = {
        "also time OpenBLAS's cblas_sgemm in this process, alternating with ours (needs libopenblas0-pthread; OPENBLAS_CORETYPE is unset first)"})
    boolean peer;

    @Option(names = "--openblas", paramLabel = "PATH", description = "libopenblas.so.0 to use for --peer")
    String openblas;

    @Option(names = "--coretype", paramLabel = "C", description = "force OPENBLAS_CORETYPE=C for --peer (default: autodetect)")
    String coretype;

    @Override
    public Integer call() {
        int threads = bench.threads();
        double secs = bench.seconds();
        SgemmBench.Shape shape;
        if (shapeName != null) {
            if (!SgemmBench.CLIP_SHAPE_NAMES.contains(shapeName)) {
                throw new UsageException("unknown --shape '" + shapeName + "' (" + String.join(", ", SgemmBench.CLIP_SHAPE_NAMES) + ")");
            }
            shape = SgemmBench.shape(shapeName);
        } else {
            int n = size;
            if (n < 1) throw new UsageException("--size must be >= 1");
            shape = SgemmBench.Shape.square(n);
        }
        Optional<OpenBlasPeer> blas = Optional.empty();
        if (peer) {
            blas = OpenBlasPeer.open(openblas, coretype);
            if (blas.isEmpty()) {
                System.err.println("clipcl bench: no OpenBLAS found (apt-get install libopenblas0-pthread, or --openblas PATH); timing ours only");
            }
        }
        try {
            SgemmBench.Result r = SgemmBench.run(shape, threads, secs, blas);
            String peerName = blas.map(p -> "OpenBLAS " + p.coreName()).orElse(null);
            System.out.printf(Locale.ROOT, "sgemm %s (%d x [%dx%dx%d]%s)  threads %d: median %.3f ms, best %.3f ms, "
                            + "%.1f GFLOP/s = %.0f%% of FMA peak (%.0f GFLOP/s)%n",
                    shape.name(), shape.batch(), shape.m(), shape.k(), shape.n(), shape.transB() ? ", B as [n,k]" : "",
                    threads, r.medianMs(), r.bestMs(), r.gflops(), 100 * r.peakFraction(),
                    SgemmBench.PEAK_GFLOPS_PER_CORE * threads);
            if (peerName != null) {
                System.out.printf(Locale.ROOT, "  %s (same process, alternating): median %.3f ms, %.1f GFLOP/s; ours/peer speed %.2f%n",
                        peerName, r.peerMedianMs(), r.peerGflops(), r.peerMedianMs() / r.medianMs());
            }
            if (threads == 1) {
                System.out.printf(Locale.ROOT, "  by this thread's CPU time (leaves out time given to other processes): ours %.1f GFLOP/s%s%n",
                        r.cpuGflops(), peerName == null ? "" : String.format(Locale.ROOT, ", peer %.1f, ours/peer %.2f",
                                r.peerCpuGflops(), r.cpuGflops() / r.peerCpuGflops()));
            }
            if (bench.json) {
                StringBuilder j = new StringBuilder();
                j.append(String.format(Locale.ROOT, "{\"bench\":\"sgemm\",\"shape\":\"%s\",\"size\":%d,\"batch\":%d,\"m\":%d,\"k\":%d,\"n\":%d,"
                                + "\"trans_b\":%b,\"threads\":%d,\"gflops\":%.2f,\"ms\":%.4f,\"best_ms\":%.4f,\"peak_fraction\":%.4f,\"calls\":%d",
                        shape.name(), shape.m() == shape.n() && shape.n() == shape.k() ? shape.n() : 0, shape.batch(),
                        shape.m(), shape.k(), shape.n(), shape.transB(), threads, r.gflops(), r.medianMs(), r.bestMs(),
                        r.peakFraction(), r.calls()));
                if (threads == 1) j.append(String.format(Locale.ROOT, ",\"cpu_gflops\":%.2f", r.cpuGflops()));
                if (peerName != null) {
                    j.append(String.format(Locale.ROOT, ",\"peer\":\"%s\",\"peer_gflops\":%.2f,\"peer_ms\":%.4f,\"ratio\":%.4f",
                            peerName, r.peerGflops(), r.peerMedianMs(), r.peerMedianMs() / r.medianMs()));
                    if (threads == 1) {
                        j.append(String.format(Locale.ROOT, ",\"peer_cpu_gflops\":%.2f,\"cpu_ratio\":%.4f",
                                r.peerCpuGflops(), r.cpuGflops() / r.peerCpuGflops()));
                    }
                }
                System.out.println(j.append('}'));
            }
        } finally {
            blas.ifPresent(OpenBlasPeer::close);
        }
        return 0;
    }
}

package clipcl.tools;

import clipcl.tensor.Backends;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;
import java.util.Set;

/** `clipcl bench <what>`: timings printed as a table, or one JSON object with --json. */
public final class BenchCommand implements Command {
    @Override
    public String name() { return "bench"; }

    @Override
    public String summary() { return "time kernels: sgemm"; }

    @Override
    public String usage() {
        return """
            usage: clipcl bench sgemm [--size N] [--threads T] [--seconds S] [--json]

            Times C = A @ B for N x N float32 matrices on the CPU backend.
              --size N      matrix size (default 1024)
              --threads T   worker threads (default: all cores)
              --seconds S   minimum measuring time (default 3)
              --json        last line: {"gflops":..., "size":..., "threads":..., ...}
            """;
    }

    @Override
    public int run(String[] args) {
        if (args.length == 0) throw new UsageException("which benchmark? (sgemm)");
        String what = args[0];
        Args a = Args.parse(java.util.Arrays.copyOfRange(args, 1, args.length), Set.of("json"), Set.of("size", "threads", "seconds"));
        if (!what.equals("sgemm")) throw new UsageException("unknown benchmark '" + what + "'");
        int n = a.getInt("size", 1024);
        int threads = a.getInt("threads", Runtime.getRuntime().availableProcessors());
        double seconds = a.getDouble("seconds", 3);
        System.setProperty("clipcl.threads", Integer.toString(threads));
        Rng rng = new Rng(1);
        Tensor x = rng.uniform(DType.F32, -1, 1, n, n), y = rng.uniform(DType.F32, -1, 1, n, n);
        for (int i = 0; i < 3; i++) x.matmul(y).close();
        long iters = 0, t0 = System.nanoTime(), t1;
        do {
            x.matmul(y).close();
            iters++;
            t1 = System.nanoTime();
        } while (t1 - t0 < seconds * 1e9);
        double sec = (t1 - t0) / 1e9 / iters;
        double gflops = 2.0 * n * n * n / sec / 1e9;
        String backend = Backends.cpu().name();
        if (a.flag("json")) {
            System.out.printf("{\"bench\":\"sgemm\",\"gflops\":%.2f,\"size\":%d,\"threads\":%d,\"ms\":%.3f,\"backend\":\"%s\"}%n", gflops, n, threads, sec * 1e3, backend);
        } else {
            System.out.printf("sgemm %dx%dx%d  threads %d  backend %s: %.3f ms  %.1f GFLOP/s%n", n, n, n, threads, backend, sec * 1e3, gflops);
        }
        return 0;
    }
}

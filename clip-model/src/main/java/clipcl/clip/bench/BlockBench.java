package clipcl.clip.bench;

import clipcl.autograd.Grad;
import clipcl.autograd.Var;
import clipcl.autograd.nn.Init;
import clipcl.clip.model.MultiheadAttention;
import clipcl.clip.model.ResidualAttentionBlock;
import clipcl.tensor.ArrayPool;
import clipcl.tensor.Backends;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Times one CLIP residual block (pre-LN, MultiheadAttention with packed in_proj, QuickGELU MLP)
 * in float32: forward alone (no graph, as inference under torch.no_grad), or forward + backward of
 * y with a fixed upstream gradient down to the parameters and the input, gradients cleared each
 * iteration. Every iteration
 * runs in a Scope, so intermediates go back to the ArrayPool; the report gives the JVM heap bytes
 * allocated per iteration (all threads) and the arrays the pool had to create. The peer is
 * bench/peer/peer_block.py (same block in PyTorch).
 *
 * <p>Entry point for {@code clipcl bench block ...}: {@link #run(String[], PrintStream)} with the
 * arguments after "block".
 */
public final class BlockBench {
    public static final String USAGE = """
        usage: clipcl bench block [--width W] [--heads H] [--seq S] [--batch B] [--backward] [--causal]
                                  [--threads T] [--seconds S] [--warmup S] [--json]

        Times one CLIP residual block (pre-LN, MultiheadAttention, QuickGELU MLP), float32, CPU.
          --width W     model width (default 768)
          --heads H     attention heads (default 12)
          --seq S       sequence length (default 50)
          --batch B     batch size (default 8)
          --backward    time forward + backward instead of forward alone (no graph)
          --causal      add OpenAI's causal mask (the text tower)
          --threads T   worker threads (default: all cores)
          --seconds S   minimum measuring time (default 3)
          --warmup S    untimed seconds first, at least 5 iterations (default 2; the JIT compiles the
                        Vector API loops during warm-up)
          --json        last line: {"bench":"block","ms_per_iter":...,"alloc_bytes_per_iter":...,...}
        """;

    /** What one run measured. */
    public record Result(int width, int heads, int seq, int batch, boolean backward, boolean causal, int threads, String backend,
                         long iters, double msPerIter, double msMean, double msMin, double gflops, double allocBytesPerIter,
                         double poolNewArraysPerIter, double poolHitsPerIter) {
        public String json() {
            return String.format(java.util.Locale.ROOT,
                    "{\"bench\":\"block\",\"width\":%d,\"heads\":%d,\"seq\":%d,\"batch\":%d,\"backward\":%b,\"causal\":%b,\"threads\":%d,"
                    + "\"backend\":\"%s\",\"iters\":%d,\"ms_per_iter\":%.4f,\"ms_mean\":%.4f,\"ms_min\":%.4f,\"gflops\":%.2f,"
                    + "\"alloc_bytes_per_iter\":%.0f,\"pool_new_arrays_per_iter\":%.3f,\"pool_hits_per_iter\":%.1f}",
                    width, heads, seq, batch, backward, causal, threads, backend, iters, msPerIter, msMean, msMin, gflops,
                    allocBytesPerIter, poolNewArraysPerIter, poolHitsPerIter);
        }
    }

    private BlockBench() { }

    public static void main(String[] args) { System.exit(run(args, System.out)); }

    /** Parses the options, runs, prints a line (or JSON last with --json); returns the exit code. */
    public static int run(String[] args, PrintStream out) {
        Map<String, String> o = parse(args, Set.of("backward", "causal", "json", "help"),
                Set.of("width", "heads", "seq", "batch", "threads", "seconds", "warmup"));
        if (o.containsKey("help")) {
            out.print(USAGE);
            return 0;
        }
        int width = integer(o, "width", 768), heads = integer(o, "heads", 12), seq = integer(o, "seq", 50), batch = integer(o, "batch", 8);
        int threads = integer(o, "threads", Runtime.getRuntime().availableProcessors());
        double seconds = o.containsKey("seconds") ? number(o, "seconds") : 3, warmup = o.containsKey("warmup") ? number(o, "warmup") : 2;
        Result r = measure(width, heads, seq, batch, o.containsKey("backward"), o.containsKey("causal"), threads, seconds, warmup);
        print(r, o.containsKey("json"), out);
        return 0;
    }

    /** One line of the result and one of allocation, or the JSON line with json. */
    public static void print(Result r, boolean json, PrintStream out) {
        if (json) {
            out.println(r.json());
        } else {
            out.printf(java.util.Locale.ROOT, "block width %d heads %d seq %d batch %d %s%s threads %d backend %s: %.3f ms/iter median (mean %.3f, min %.3f, %d iters, %.1f GFLOP/s)%n",
                    r.width(), r.heads(), r.seq(), r.batch(), r.backward() ? "forward+backward" : "forward", r.causal() ? " causal" : "", r.threads(), r.backend(),
                    r.msPerIter(), r.msMean(), r.msMin(), r.iters(), r.gflops());
            out.printf(java.util.Locale.ROOT, "  allocation per iteration: %.1f KiB of JVM heap, %.2f new pool arrays, %.0f pooled arrays reused%n",
                    r.allocBytesPerIter() / 1024, r.poolNewArraysPerIter(), r.poolHitsPerIter());
        }
    }

    /** ms_per_iter is the median iteration time (robust on a shared machine); mean and minimum beside it. */
    public static Result measure(int width, int heads, int seq, int batch, boolean backward, boolean causal, int threads, double seconds, double warmup) {
        if (width <= 0 || heads <= 0 || seq <= 0 || batch <= 0 || threads <= 0) throw new IllegalArgumentException("block bench: sizes and threads must be positive");
        if (width % heads != 0) throw new IllegalArgumentException("block bench: width " + width + " is not divisible by " + heads + " heads");
        String before = System.getProperty("clipcl.threads");
        System.setProperty("clipcl.threads", Integer.toString(threads));
        try {
            return timed(width, heads, seq, batch, backward, causal, threads, seconds, warmup);
        } finally {
            if (before == null) System.clearProperty("clipcl.threads");
            else System.setProperty("clipcl.threads", before);
        }
    }

    private static Result timed(int width, int heads, int seq, int batch, boolean backward, boolean causal, int threads, double seconds, double warmup) {
        ResidualAttentionBlock block = new ResidualAttentionBlock(width, heads, Init.f32(1));
        Rng rng = new Rng(2);
        Tensor x = Scope.detach(rng.uniform(DType.F32, -1, 1, batch, seq, width));           // [B, S, W]
        Tensor dy = Scope.detach(rng.uniform(DType.F32, -1, 1, batch, seq, width));
        Tensor mask = causal ? Scope.detach(MultiheadAttention.causalMask(seq, DType.F32)) : null;
        long w0 = System.nanoTime();
        for (int i = 0; i < 5 || System.nanoTime() - w0 < warmup * 1e9; i++) iteration(block, x, dy, mask, backward);
        var threadsBean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long alloc0 = totalAllocated(threadsBean), miss0 = ArrayPool.misses(), hit0 = ArrayPool.hits();
        java.util.List<Long> times = new java.util.ArrayList<>();
        long t0 = System.nanoTime(), t1 = t0;
        do {
            long s = System.nanoTime();
            iteration(block, x, dy, mask, backward);
            t1 = System.nanoTime();
            times.add(t1 - s);
        } while (t1 - t0 < seconds * 1e9 || times.size() < 3);
        long alloc = totalAllocated(threadsBean) - alloc0, miss = ArrayPool.misses() - miss0, hit = ArrayPool.hits() - hit0;
        int iters = times.size();
        double mean = (t1 - t0) / 1e6 / iters;
        java.util.Collections.sort(times);
        double ms = (iters % 2 == 1 ? times.get(iters / 2) : (times.get(iters / 2 - 1) + times.get(iters / 2)) / 2.0) / 1e6;
        double best = times.get(0) / 1e6;
        double flops = 24.0 * batch * seq * width * (double) width + 4.0 * batch * seq * (double) seq * width;
        if (backward) flops *= 3;
        return new Result(width, heads, seq, batch, backward, causal, threads, Backends.cpu().name(), iters, ms, mean, best,
                flops / (ms * 1e-3) / 1e9, alloc / (double) iters, miss / (double) iters, hit / (double) iters);
    }

    /** One timed iteration (forward, or forward + backward with gradients cleared); the in-JVM peers time the same body. */
    public static void iteration(ResidualAttentionBlock block, Tensor x, Tensor dy, Tensor mask, boolean backward) {
        try (Scope s = Scope.open()) {
            if (backward) {
                Var xv = new Var(x, true); // the block's input needs a gradient too, as inside a network
                Var y = block.forward(xv, mask);
                y.backward(dy);
                block.zeroGrad();
                xv.zeroGrad();
            } else {
                try (var g = Grad.noGrad()) {
                    block.forward(Var.constant(x), mask);
                }
            }
        }
    }

    /** Heap bytes allocated so far by every live thread (the caller and the worker pool). */
    private static long totalAllocated(com.sun.management.ThreadMXBean b) {
        long[] ids = b.getAllThreadIds();
        long sum = 0;
        for (long a : b.getThreadAllocatedBytes(ids)) if (a > 0) sum += a;
        return sum;
    }

    private static Map<String, String> parse(String[] args, Set<String> flags, Set<String> valued) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("bench block: unexpected argument '" + a + "'\n" + USAGE);
            String name = a.substring(2), val = null;
            int eq = name.indexOf('=');
            if (eq >= 0) { val = name.substring(eq + 1); name = name.substring(0, eq); }
            if (flags.contains(name)) {
                m.put(name, "true");
            } else if (valued.contains(name)) {
                if (val == null) {
                    if (i + 1 >= args.length) throw new IllegalArgumentException("bench block: --" + name + " needs a value");
                    val = args[++i];
                }
                m.put(name, val);
            } else {
                throw new IllegalArgumentException("bench block: unknown option --" + name + " (known: " + new java.util.TreeSet<>(valued) + " and flags " + new java.util.TreeSet<>(flags) + ")");
            }
        }
        return m;
    }

    private static int integer(Map<String, String> o, String k, int def) {
        String v = o.get(k);
        if (v == null) return def;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bench block: --" + k + " must be an integer, got '" + v + "'");
        }
    }

    private static double number(Map<String, String> o, String k) {
        try {
            return Double.parseDouble(o.get(k).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bench block: --" + k + " must be a number, got '" + o.get(k) + "'");
        }
    }
}

package clipcl.tools;

import clipcl.bench.OpenBlasPeer;
import clipcl.bench.OpsBench;
import clipcl.bench.SgemmBench;
import clipcl.clip.bench.TrainStepBench;
import clipcl.clip.config.ClipConfig;
import clipcl.clip.config.ModelConfigs;
import clipcl.tensor.Backends;
import clipcl.tensor.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** `clipcl bench <what>`: timings printed as a table, or one JSON object on the last line with --json. */
public final class BenchCommand implements Command {
    @Override
    public String name() { return "bench"; }

    @Override
    public String summary() { return "time kernels: sgemm, ops (softmax, layer_norm, gelu)"; }

    @Override
    public String usage() {
        return """
            usage: clipcl bench block --width W --heads H --seq S --batch B [--backward] [--threads T] [--json]
                   clipcl bench encode [--model ViT-B-32] [--threads T] [--seconds S] [--json]
                   clipcl bench sgemm [--size N | --shape NAME] [--threads T] [--seconds S] [--peer] [--json]
                   clipcl bench ops [--threads T] [--seconds S] [--json]
                   clipcl bench train-step [--device D] [--model ViT-B-32] [--batch B] [--steps N] [--warmup W] [--check]
                                           [--matmul fp32|tf32|bf16]

            sgemm: times C = A @ B in float32 with the Vector API SGEMM (median of repeated calls
            after warm-up) and reports GFLOP/s and the fraction of the FMA peak (224 GFLOP/s per
            core here, times T).
              --size N        N x N x N (default 1024)
              --shape NAME    a CLIP ViT-B/32 shape at batch 8 instead of --size:
                              qkv 400x768x2304, qkvT (B stored as [n,k]), fc1 400x768x3072,
                              fc2 400x3072x768, fc2T, attn 96 x [50x64x50]
              --threads T     worker threads (default: all cores)
              --seconds S     measuring time per side (default 3)
              --peer          also time OpenBLAS's cblas_sgemm in this process, alternating with
                              ours (needs libopenblas0-pthread; OPENBLAS_CORETYPE is unset first)
              --openblas PATH libopenblas.so.0 to use for --peer
              --coretype C    force OPENBLAS_CORETYPE=C for --peer (default: autodetect)
              --json          last line: {"gflops":..., "size":..., "threads":..., ...}
            With one thread, GFLOP/s by the thread's CPU time is reported too (cpu_gflops): on a
            machine shared with other work it is the steadier figure.

            block: one CLIP residual block (pre-LN, MultiheadAttention, QuickGELU MLP), forward or
            forward + backward; `clipcl bench block --help` for its options.

            encode: encode_image images/s at batch 1 and 32 and encode_text texts/s at batch 32 of a
            CLIP with random weights (default ViT-B-32), inference only.

            ops: softmax, layer_norm, gelu, quick_gelu through the Tensor API on CLIP's shapes at
            batch 8; ms per call (median).

            train-step: CLIP training steps through autograd (both towers, contrastive loss, global
            norm clipping, AdamW) with random weights on --device (cpu, cuda, cuda:N, test); prints
            "bench <name> <value> <unit>" lines: samples/s, ms per step (median), peak device memory.
            --check first compares a one-layer model's losses on the CPU and the device (exit 1 if
            they differ by more than 1e-3). --matmul sets the GPU's matmul inputs (TF32 or BF16 with
            FP32 accumulation; default fp32).
            """;
    }

    @Override
    public int run(String[] args) {
        if (args.length == 0) throw new UsageException("which benchmark? (sgemm, ops)");
        String what = args[0];
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        if (what.equals("block")) return clipcl.clip.bench.BlockBench.run(rest, System.out);
        if (what.equals("encode")) return EncodeBenchRun.run(rest);
        if (what.equals("train-step")) return trainStep(rest);
        Args a = Args.parse(java.util.Arrays.copyOfRange(args, 1, args.length), Set.of("json", "peer"),
                Set.of("size", "shape", "threads", "seconds", "openblas", "coretype"));
        int threads = a.getInt("threads", Runtime.getRuntime().availableProcessors());
        double seconds = a.getDouble("seconds", 3);
        if (threads < 1) throw new UsageException("--threads must be >= 1");
        if (!(seconds > 0)) throw new UsageException("--seconds must be > 0");
        return switch (what) {
            case "sgemm" -> sgemm(a, threads, seconds);
            case "ops" -> ops(a, threads, seconds);
            default -> throw new UsageException("unknown benchmark '" + what + "' (sgemm, ops)");
        };
    }

    private static int trainStep(String[] rest) {
        Args a = Args.parse(rest, Set.of("check"), Set.of("device", "model", "batch", "steps", "warmup", "matmul"));
        if (a.get("matmul", null) != null) TrainStepBench.setMatmul(a.get("matmul", null));
        Device d = ModelArgs.device(a);
        ClipConfig cfg = ModelConfigs.byName(a.get("model", "ViT-B-32"));
        if (a.flag("check") && !TrainStepBench.check(cfg, d, System.out)) {
            System.err.println("clipcl bench train-step: check FAILED: the losses on " + d + " differ from the CPU's");
            return 1;
        }
        TrainStepBench.run(cfg, a.get("model", "ViT-B-32"), d, a.getInt("batch", 32), a.getInt("steps", 5), a.getInt("warmup", 2), System.out);
        return 0;
    }

    private static int sgemm(Args a, int threads, double seconds) {
        SgemmBench.Shape shape;
        String name = a.get("shape", null);
        if (name != null) {
            shape = switch (name) {
                case "qkv" -> SgemmBench.clipShapes().get(0);
                case "qkvT" -> SgemmBench.clipShapes().get(1);
                case "fc1" -> SgemmBench.clipShapes().get(2);
                case "fc2" -> SgemmBench.clipShapes().get(3);
                case "fc2T" -> SgemmBench.clipShapes().get(4);
                case "attn" -> SgemmBench.clipShapes().get(5);
                default -> throw new UsageException("unknown --shape '" + name + "' (qkv, qkvT, fc1, fc2, fc2T, attn)");
            };
        } else {
            int n = a.getInt("size", 1024);
            if (n < 1) throw new UsageException("--size must be >= 1");
            shape = SgemmBench.Shape.square(n);
        }
        Optional<OpenBlasPeer> peer = Optional.empty();
        if (a.flag("peer")) {
            peer = OpenBlasPeer.open(a.get("openblas", null), a.get("coretype", null));
            if (peer.isEmpty()) {
                System.err.println("clipcl bench: no OpenBLAS found (apt-get install libopenblas0-pthread, or --openblas PATH); timing ours only");
            }
        }
        try {
            SgemmBench.Result r = SgemmBench.run(shape, threads, seconds, peer);
            String peerName = peer.map(p -> "OpenBLAS " + p.coreName()).orElse(null);
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
            if (a.flag("json")) {
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
            peer.ifPresent(OpenBlasPeer::close);
        }
        return 0;
    }

    private static int ops(Args a, int threads, double seconds) {
        System.setProperty("clipcl.threads", Integer.toString(threads));
        String backend = Backends.cpu().name();
        List<String> json = new ArrayList<>();
        System.out.printf(Locale.ROOT, "ops on backend %s, threads %d (median ms per call)%n", backend, threads);
        for (OpsBench.Case c : OpsBench.cases()) {
            double[] t = OpsBench.time(c, seconds);
            System.out.printf(Locale.ROOT, "  %-11s %-12s %9.4f ms  (best %.4f)%n", c.name(), c.shapeText(), t[0], t[1]);
            json.add(String.format(Locale.ROOT, "{\"op\":\"%s\",\"shape\":%s,\"ms\":%.5f,\"best_ms\":%.5f}",
                    c.name(), c.shapeText(), t[0], t[1]));
        }
        if (a.flag("json")) {
            System.out.printf(Locale.ROOT, "{\"bench\":\"ops\",\"backend\":\"%s\",\"threads\":%d,\"results\":[%s]}%n",
                    backend, threads, String.join(",", json));
        }
        return 0;
    }
}

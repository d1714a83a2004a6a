package clipcl.tools;

import clipcl.clip.config.ClipConfig;
import clipcl.clip.config.ModelConfigs;
import clipcl.clip.model.Clip;
import clipcl.clip.tokenizer.ClipTokenizer;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.KarpathyStream;
import clipcl.continual.data.PaperAOrder;
import clipcl.continual.data.UserData;
import clipcl.continual.protocol.ScratchClip0;
import clipcl.continual.train.SessionListener;
import clipcl.continual.train.TextEncoder;
import clipcl.continual.train.Tokens;
import clipcl.continual.train.TrainConfig;
import clipcl.tensor.Device;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * `clipcl continual` on the user's data, paper A at paper scale: the updated task from COCO object
 * crops, the zero-shot set from an ImageFolder, a released CLIP from --weights with OpenAI's BPE; or
 * paper B at paper scale (--karpathy-stream): image-caption pairs of a Karpathy split file as the
 * stream, retrieval on its test split and on an old split file's test split.
 * Without --coco or --karpathy-stream the command runs the embedded benchmark and these options are refused.
 */
public final class UserDataOptions {
    @Option(names = "--coco", paramLabel = "DIR", description = {
        "paper A's updated task from COCO: DIR/annotations/instances_train*.json and instances_val*.json (one of each) with their "
            + "images in DIR/<split>/ (e.g. train2017/, val2017/); every box becomes a crop labelled by its category, classes in category-id "
            + "order, MST sessions in paper A's Table I order. Needs --zs-folder, --weights and --vocab; replaces the embedded benchmark"})
    Path coco;

    @Option(names = "--zs-folder", paramLabel = "DIR", description = "--coco: the zero-shot set, an ImageFolder (one sub-folder a class, e.g. tiered-ImageNet's test classes)")
    Path zsFolder;

    @Option(names = "--zs-class-names", paramLabel = "F", description = "--coco: one class name a line for --zs-folder's sub-folders, in sorted folder order (default: folder names, '_' read as space)")
    Path zsClassNames;

    @Option(names = "--zs-items", paramLabel = "N", description = "--coco: measure ZS-Acc on the first N zero-shot images of a fixed shuffled order (default: all)")
    Integer zsItems;

    @Option(names = "--prompt", paramLabel = "T", description = "--coco: the template of training captions and zero-shot prompts, {} = class name (default '" + UserData.PAPER_PROMPT + "')")
    String prompt;

    @Option(names = "--karpathy", paramLabel = "F", description = {
        "--coco: Karpathy's dataset_coco.json: UT-Acc on the crops of its test split's images only (paper A's test set; "
            + "their filepath, e.g. val2014/, below --coco), and text/image retrieval (tr_r1, ir_r1, R@5, R@10) on those images "
            + "with every caption after every session; default: every crop of instances_val*.json, no retrieval"})
    Path karpathy;

    @Option(names = "--karpathy-stream", paramLabel = "F", description = {
        "paper B's new data from a Karpathy split file (dataset_flickr30k.json or dataset_coco.json): its train (+restval) and val images, "
            + "one of each image's captions drawn at random, cut into phases by --protocol stream; retrieval R@1/5/10 on its test split "
            + "with every caption. Needs --image-root, --old-karpathy, --weights (or --clip0-from-scratch) and --vocab; replaces the embedded benchmark"})
    Path karpathyStream;

    @Option(names = "--image-root", paramLabel = "DIR", description = "--karpathy-stream: the folder its images are read below (filepath/filename)")
    Path imageRoot;

    @Option(names = "--old-karpathy", paramLabel = "F", description = "--karpathy-stream: the old data's Karpathy split file (CLIP_0's, e.g. dataset_coco.json); retention is retrieval on its test split")
    Path oldKarpathy;

    @Option(names = "--old-image-root", paramLabel = "DIR", description = "--karpathy-stream: the folder of --old-karpathy's images (default: --image-root)")
    Path oldImageRoot;

    @Option(names = "--old-train", description = "--karpathy-stream: also read --old-karpathy's train (+restval) images as D0, CLIP_0's training data, which clip-jt trains on with the stream (implied by --clip0-from-scratch)")
    boolean oldTrain;

    @Option(names = "--clip0-from-scratch", description = {
        "--karpathy-stream: no released CLIP: CLIP_0 is a random CLIP of --model / --model-config (paper B: RN50) trained from scratch "
            + "on --old-karpathy's train (+restval) images, one caption each (D0), with the study's settings (phase 0; kept in --cache "
            + "under a hash of what determines it, resumed when killed, reused by every study and seed), then the stream starts from it"})
    boolean clip0FromScratch;

    @Option(names = "--clip0-epochs", paramLabel = "E", description = "--clip0-from-scratch: epochs of phase 0 (default: --epochs, as paper B trains every phase alike)")
    Double clip0Epochs;

    @Option(names = "--min-crop-side", paramLabel = "PX", description = "--coco: skip boxes narrower or lower than PX pixels after clamping to the image (default ${DEFAULT-VALUE})")
    int minCropSide = 1;

    @Option(names = "--keep-crowd", description = "--coco: keep crowd annotations (iscrowd 1, a box around a group), skipped by default")
    boolean keepCrowd;

    @Option(names = "--classes-per-session", paramLabel = "K", description = "--coco, MST: classes a session (default " + PaperAOrder.PER_SESSION + ", paper A's 8 x 10)")
    Integer classesPerSession;

    @Option(names = "--weights", paramLabel = "W", description = {
        "--coco, --karpathy-stream: the CLIP to start from: OpenAI TorchScript archive (ViT-B-32.pt), torch.save state dict (open_clip .pt/.bin) or safetensors"})
    Path weights;

    @Option(names = "--model", paramLabel = "NAME", description = "--coco, --karpathy-stream: built-in model config of --weights (e.g. ViT-B-32; default: inferred from the weight shapes), or of CLIP_0 with --clip0-from-scratch (e.g. RN50)")
    String model;

    @Option(names = "--model-config", paramLabel = "CFG", description = "--coco: an open_clip model-config JSON for --weights")
    Path modelConfig;

    @Option(names = "--vocab", paramLabel = "V", description = "--coco: OpenAI's bpe_simple_vocab_16e6.txt.gz, or Hugging Face vocab.json (with --merges)")
    Path vocab;

    @Option(names = "--merges", paramLabel = "M", description = "--coco: Hugging Face merges.txt, with --vocab vocab.json")
    Path merges;

    /** The data, read once for all the studies of a --config file (COCO 2017's train JSON alone is 448 MB). */
    private UserData.Loaded loaded;
    private UserData loadedFrom;
    private KarpathyStream.Loaded streamLoaded;
    private KarpathyStream streamFrom;

    /** What a study on user data starts from. */
    record Inputs(Benchmark bench, Clip clip, ImageTensors images, int[] order, int perSession, int zsItems, Map<String, Object> config) { }

    boolean given() { return coco != null || karpathyStream != null; }

    /** Paper B's image-caption stream from a Karpathy split file. */
    boolean stream() { return karpathyStream != null; }

    /** Options of the user-data path given without --coco, or missing with it. */
    void check(boolean quick, String order) {
        if (!stream()) {
            for (Object o : new Object[] {imageRoot, oldKarpathy, oldImageRoot}) {
                if (o != null) throw new UsageException("--image-root, --old-karpathy and --old-image-root go with --karpathy-stream");
            }
            if (oldTrain) throw new UsageException("--old-train goes with --karpathy-stream");
            if (clip0FromScratch || clip0Epochs != null) {
                throw new UsageException("--clip0-from-scratch and --clip0-epochs go with --karpathy-stream (the embedded benchmark trains its own CLIP_0; --coco fine-tunes a released CLIP)");
            }
        }
        if (!given()) {
            for (Object o : new Object[] {zsFolder, zsClassNames, zsItems, prompt, classesPerSession, weights, model, modelConfig, vocab, merges, karpathy}) {
                if (o != null) throw new UsageException("--zs-folder, --zs-items, --prompt, --classes-per-session, --karpathy, --weights, --model, --model-config and --vocab go with --coco");
            }
            return;
        }
        if (stream()) {
            if (coco != null) throw new UsageException("--coco (paper A's crops) and --karpathy-stream (paper B's image-caption stream) are two data sets; give one");
            for (Object o : new Object[] {zsFolder, zsClassNames, prompt, classesPerSession, karpathy}) {
                if (o != null) throw new UsageException("--zs-folder, --zs-class-names, --prompt, --classes-per-session and --karpathy go with --coco, not --karpathy-stream");
            }
            if (imageRoot == null) throw new UsageException("--karpathy-stream needs --image-root (the folder of its images)");
            if (oldKarpathy == null) throw new UsageException("--karpathy-stream needs --old-karpathy (the old data's split file, whose test split measures retention)");
            if (clip0Epochs != null && !clip0FromScratch) throw new UsageException("--clip0-epochs goes with --clip0-from-scratch");
            if (clip0Epochs != null && !(clip0Epochs > 0)) throw new UsageException("--clip0-epochs must be positive, got " + clip0Epochs);
            if (clip0FromScratch) {
                if (weights != null) throw new UsageException("--clip0-from-scratch trains CLIP_0 from a random start: give --model or --model-config for its architecture, not --weights");
                if (model == null && modelConfig == null) throw new UsageException("--clip0-from-scratch needs --model (e.g. RN50, paper B's) or --model-config for CLIP_0's architecture");
                if (model != null && modelConfig != null) throw new UsageException("give --model or --model-config, not both");
            } else if (weights == null) {
                throw new UsageException("--karpathy-stream needs --weights (the CLIP to start from), or --clip0-from-scratch (with --model) to train one on --old-karpathy's train split");
            }
            if (vocab == null) throw new UsageException("--karpathy-stream needs --vocab (OpenAI's bpe_simple_vocab_16e6.txt.gz)");
            if (quick) throw new UsageException("--quick shortens the embedded benchmark; with --karpathy-stream give --epochs, --zs-items instead");
            if (order != null) throw new UsageException("--order is the digits' order; it does not apply to --karpathy-stream");
            if (zsItems != null && zsItems <= 0) throw new UsageException("--zs-items must be positive, got " + zsItems);
            return;
        }
        if (zsFolder == null) throw new UsageException("--coco needs --zs-folder (the zero-shot ImageFolder)");
        if (weights == null) throw new UsageException("--coco needs --weights (the CLIP to start from)");
        if (vocab == null) throw new UsageException("--coco needs --vocab (OpenAI's bpe_simple_vocab_16e6.txt.gz)");
        if (quick) throw new UsageException("--quick shortens the embedded benchmark; with --coco give --epochs, --zs-items instead");
        if (order != null) throw new UsageException("--order is the digits' order; with --coco MST follows paper A's Table I (category-id order)");
        if (minCropSide < 1) throw new UsageException("--min-crop-side must be >= 1, got " + minCropSide);
        if (zsItems != null && zsItems <= 0) throw new UsageException("--zs-items must be positive, got " + zsItems);
        if (classesPerSession != null && classesPerSession <= 0) throw new UsageException("--classes-per-session must be positive, got " + classesPerSession);
        String p = prompt();
        if (!p.contains("{}")) throw new UsageException("--prompt '" + p + "' has no {} for the class name");
    }

    String prompt() { return prompt != null ? prompt : UserData.PAPER_PROMPT; }

    /**
     * Loads the model (on the host; the study moves its copy to --device), the tokenizer and the data;
     * with --clip0-from-scratch the model is not there yet (null): {@link #scratchClip0} trains it.
     */
    Inputs load(PrintStream log) throws Exception {
        ModelArgs m = new ModelArgs();
        m.weights = weights;
        m.model = model;
        m.modelConfig = modelConfig;
        m.vocab = vocab;
        m.merges = merges;
        Clip clip = clip0FromScratch ? null : m.loadModel(log);
        ClipConfig mc = clip != null ? clip.config() : scratchConfig();
        ClipTokenizer tok = m.loadTokenizer();
        int vocabSize = mc.text().vocabSize(), ctx = mc.text().contextLength();
        if (tok.vocab().size() > vocabSize) {
            throw new UsageException("--vocab " + vocab + " has " + tok.vocab().size() + " tokens, more than the model's " + vocabSize + " token embeddings");
        }
        // the captions of a data set are cut to the context, as the retrieval command does; a prompt template that does not fit is an error
        if (stream()) return loadStream(clip, mc, Tokens.of(tok, ctx, true), log);
        UserData data = new UserData(coco, zsFolder, zsClassNames, prompt(), minCropSide, keepCrowd, karpathy);
        if (loaded == null || !data.equals(loadedFrom) || loaded.benchmark().tokens().contextLength() != ctx) {
            try {
                loaded = data.load(Tokens.of(tok, ctx));
                loadedFrom = data;
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        Benchmark b = loaded.benchmark();
        log.printf("%s: %d training crops, %s: %d test crops, %d classes; zero-shot: %d images, %d classes%n", loaded.trainJson(), b.digitsTrain().count(),
                loaded.testJson(), b.digitsTest().count(), b.digitsTrain().numClasses(), b.fashionTest().count(), b.fashionTest().numClasses());
        int[] order = PaperAOrder.order(b.digitsTrain().classNames());
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("data", loaded.describe(data));
        cfg.put("mst_order_names", PaperAOrder.names(b.digitsTrain().classNames(), order));
        cfg.put("model", describeModel(clip.config()));
        int zs = zsItems != null ? Math.min(zsItems, b.fashionTest().count()) : b.fashionTest().count();
        return new Inputs(b, clip, new ImageTensors(clip.config().vision().imageSize(), false), order,
                classesPerSession != null ? classesPerSession : PaperAOrder.PER_SESSION, zs, cfg);
    }

    /** Paper B's stream: the split files read once, retention on the old file's test split (--zs-items caps its R@1 classification only). */
    private Inputs loadStream(Clip clip, ClipConfig mc, Tokens tokens, PrintStream log) throws IOException {
        // CLIP_0 from scratch trains on D0, the old file's train images
        KarpathyStream data = new KarpathyStream(karpathyStream, imageRoot, oldKarpathy, oldImageRoot != null ? oldImageRoot : imageRoot,
                oldTrain || clip0FromScratch, KarpathyStream.CAPTION_SEED);
        if (streamLoaded == null || !data.equals(streamFrom) || streamLoaded.benchmark().tokens().contextLength() != tokens.contextLength()) {
            try {
                streamLoaded = data.load(tokens);
                streamFrom = data;
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        Benchmark b = streamLoaded.benchmark();
        log.printf("%s: %d stream images (train+val), %d test images; %s: %d test images%n", karpathyStream, b.digitsTrain().count(), b.digitsTest().count(),
                oldKarpathy, b.fashionTest().count());
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("data", streamLoaded.describe(data));
        cfg.put("model", describeModel(mc));
        int zs = zsItems != null ? Math.min(zsItems, b.fashionTest().count()) : b.fashionTest().count();
        return new Inputs(b, clip, new ImageTensors(mc.vision().imageSize(), false), null, PaperAOrder.PER_SESSION, zs, cfg);
    }

    /** The architecture of --clip0-from-scratch's CLIP_0. */
    private ClipConfig scratchConfig() throws IOException {
        try {
            return modelConfig != null ? ClipConfig.fromFile(modelConfig) : ModelConfigs.byName(model);
        } catch (IllegalArgumentException e) {
            throw new UsageException((modelConfig != null ? "--model-config " + modelConfig : "--model " + model) + ": " + e.getMessage());
        }
    }

    /**
     * The inputs with CLIP_0 trained from scratch on D0 (the old file's train split) by phase 0 with
     * the study's settings, or loaded from cacheDir where an earlier run left it; the run's config
     * records it under "clip0".
     */
    Inputs scratchClip0(Inputs in, TrainConfig study, Device device, Path cacheDir, SessionListener listener) throws IOException {
        ClipConfig mc = scratchConfig();
        Benchmark b = in.bench();
        ScratchClip0 s = new ScratchClip0(mc, ScratchClip0.phase0Config(study, clip0Epochs), ScratchClip0.SEED, scratchIdentity());
        Clip clip;
        try {
            clip = s.obtain(b.fashionTrain(), b.fashionCaptions(), new TextEncoder(b.tokens()), in.images(), device, cacheDir, listener, Long.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Map<String, Object> c0 = new LinkedHashMap<>();
        c0.put("from_scratch", true);
        c0.put("cache_key", s.key(b.fashionTrain()));
        c0.put("cache", cacheDir.toString());
        c0.put("seed", s.seed());
        c0.put("d0_images", b.fashionTrain().count());
        c0.put("steps", s.steps(b.fashionTrain()));
        c0.put("train", s.train().toJson());
        Map<String, Object> cfg = new LinkedHashMap<>(in.config());
        cfg.put("clip0", c0);
        return new Inputs(b, clip, in.images(), in.order(), in.perSession(), in.zsItems(), cfg);
    }

    /** What names D0 and the tokenizer in the from-scratch CLIP_0's cache key: the old file's name, the caption seed, digests of the vocabulary files. */
    private Map<String, Object> scratchIdentity() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("old_karpathy", oldKarpathy.getFileName().toString());
        m.put("caption_seed", KarpathyStream.CAPTION_SEED);
        m.put("vocab_sha256", sha256(vocab));
        if (merges != null) m.put("merges_sha256", sha256(merges));
        return m;
    }

    private static String sha256(Path f) throws IOException {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(java.nio.file.Files.readAllBytes(f)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private Map<String, Object> describeModel(ClipConfig config) {
        Map<String, Object> mm = new LinkedHashMap<>();
        mm.put("weights", clip0FromScratch ? "none: CLIP_0 trained from scratch (see clip0)" : weights.toString());
        mm.put("model", model != null ? model : modelConfig != null ? modelConfig.toString() : "inferred from the weights");
        mm.put("config", clipcl.tensor.io.Json.parseObject(config.toJson()));
        mm.put("vocab", vocab.toString());
        return mm;
    }
}

package clipcl.continual.protocol;

import clipcl.autograd.checkpoint.Checkpoint;
import clipcl.clip.config.ClipConfig;
import clipcl.clip.demo.DemoConfig;
import clipcl.clip.model.Clip;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.train.SessionListener;
import clipcl.tensor.io.AtomicFiles;
import clipcl.tensor.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CLIP_0, the model every study starts from: the demo's small CLIP trained from scratch on Fashion-MNIST
 * captions (phase 0 of the benchmark), trained by the engine's own {@link Trainer} (one contrastive
 * session over the 60,000 training images with the demo's settings) and cached as safetensors under
 * a hash of everything that determines it (training settings, model config, vocabulary), so every
 * study with the same settings reuses it. Its training checkpoints too, so a killed CLIP_0 resumes.
 */
public final class Clip0 {
    /**
     * Bumped whenever the way CLIP_0 is trained changes, so old caches are not reused. 2: Phase0
     * trains with the engine's Trainer (its samplers order the batches differently from the first
     * loop's), which a cache made by recipe 1 under the same key did not reflect.
     */
    static final int RECIPE = 2;

    private Clip0() { }

    public static ClipConfig modelConfig(DemoConfig d, Benchmark b) {
        return d.model(b.tokenizer().vocabSize(), b.tokenizer().contextLength());
    }

    /** The cache key: a SHA-256 prefix over the recipe, the demo config, the model config and the vocabulary. */
    public static String key(DemoConfig d, Benchmark b) { return key(d, Clip0Data.of(b, 0)); }

    /**
     * The cache key of a CLIP_0 trained on data's phase 0: with no digit seen, the benchmark's key as
     * it always was; otherwise the number seen and the held-out rule are hashed in as well.
     */
    public static String key(DemoConfig d, Clip0Data data) {
        Benchmark b = data.study();
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("recipe", RECIPE);
        k.put("demo", d.toJson());
        k.put("model", modelConfig(d, b).toJson());
        List<String> words = new java.util.ArrayList<>();
        for (String s : b.fashionCaptions().corpus(b.fashionTrain().classNames())) words.add(s);
        for (String s : b.digitCaptions().corpus(b.digitsTrain().classNames())) words.add(s);
        k.put("corpus", words);
        if (b.fashionCaptions().words() != null) k.put("image_words", b.fashionCaptions().words().toJson());
        k.putAll(data.keyEntries());
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(Json.write(k).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Loads CLIP_0 from cacheDir, training (or resuming) it first when it is not there. */
    public static Clip obtain(DemoConfig d, Benchmark b, ImageTensors images, Path cacheDir, SessionListener listener) throws IOException {
        return obtain(d, Clip0Data.of(b, 0), images, cacheDir, listener);
    }

    /** Loads the CLIP_0 trained on data's phase 0 from cacheDir, training (or resuming) it first when it is not there. */
    public static Clip obtain(DemoConfig d, Clip0Data data, ImageTensors images, Path cacheDir, SessionListener listener) throws IOException {
        Benchmark b = data.study();
        String key = key(d, data);
        ClipConfig mc = modelConfig(d, b);
        Path weights = cacheDir.resolve("clip0-" + key + ".safetensors"), partial = cacheDir.resolve("clip0-" + key + ".partial");
        Clip model = Clip.create(mc, d.seed());
        if (Files.isRegularFile(weights)) {
            Checkpoint.loadWeights(weights, model, true);
            listener.info("CLIP_0: cached " + weights);
            return model;
        }
        Files.createDirectories(cacheDir);
        listener.info("CLIP_0: training the demo's model on " + (data.digits() == 0 ? "Fashion-MNIST" : "Fashion-MNIST and " + data.digits() + " digit images")
                + " (" + Phase0.steps(d, data.phase0().count()) + " steps), to be cached as " + weights);
        Phase0.train(model, d, data.phase0(), b.fashionCaptions(), b.tokenizer(), images.side(), partial, true, listener, Long.MAX_VALUE);
        Checkpoint.saveWeights(weights, model);
        Map<String, Object> info = Map.of("demo", d.toJson(), "model", Json.parseObject(mc.toJson()));
        if (data.digits() > 0) {
            info = new LinkedHashMap<>(info);
            info.putAll(data.keyEntries());
        }
        AtomicFiles.write(cacheDir.resolve("clip0-" + key + ".json"), Json.pretty(info).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.deleteTree(partial);
        return model;
    }
}

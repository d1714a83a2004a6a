package clipcl.continual.protocol;

import clipcl.autograd.checkpoint.Checkpoint;
import clipcl.clip.config.ClipConfig;
import clipcl.clip.model.Clip;
import clipcl.continual.data.CaptionTemplates;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.LabeledImages;
import clipcl.continual.train.SessionListener;
import clipcl.continual.train.TextEncoder;
import clipcl.continual.train.TrainConfig;
import clipcl.tensor.Device;
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
import java.util.Map;

/**
 * Paper B's from-scratch CLIP_0 on the user's data: a CLIP of the given architecture, initialised at
 * random (logit scale ln(1/0.07), CLIP's initial temperature), trained contrastively on D0 (the old
 * data's image-caption pairs, e.g. COCO's Karpathy train split before a Flickr30K stream) with the
 * study's settings, as the paper trains every phase alike (batch 280, 35 epochs, AdamW (0.9, 0.99,
 * 1e-8), weight decay 0.1 in the authors' scripts, lr 5e-4 cosine with 20% warm-up). It is then the
 * model every phase of the stream starts from.
 *
 * <p>Cached as the embedded CLIP_0 is: under a hash of everything that determines it (this recipe,
 * the architecture, the settings, the seed, the data's identity and its captions), as
 * {@code clip0-scratch-<key>.safetensors} with a {@code .json} of its settings, so every study of a
 * config file and every seed reuses one CLIP_0; its training checkpoints live in
 * {@code clip0-scratch-<key>.partial/} until it is done, so a killed phase 0 resumes where it stopped.
 *
 * @param model    the architecture
 * @param train    phase 0's settings (contrastive, no replay; see {@link #phase0Config})
 * @param seed     the initialisation's and the batch order's seed
 * @param identity what names the data and the tokenizer (files, counts, a digest of the vocabulary), hashed into the key
 */
public record ScratchClip0(ClipConfig model, TrainConfig train, long seed, Map<String, Object> identity) {
    /** Bumped whenever the way this CLIP_0 is trained changes, so old caches are not reused. */
    static final int RECIPE = 1;
    /** The seed of the initialisation and the batch order: one CLIP_0 for every seed of a study, as the paper has one. */
    public static final long SEED = 0;

    public ScratchClip0 {
        identity = Map.copyOf(identity);
    }

    /**
     * Phase 0's settings from a study's: the same optimizer, schedule, rate, batch and clipping, the
     * contrastive objective, no replay and no evaluation inside it, epochs when given.
     */
    public static TrainConfig phase0Config(TrainConfig study, Double epochs) {
        return new TrainConfig(study.batch(), epochs != null ? epochs : study.epochs(), study.lr(), study.weightDecay(), study.optimizer(),
                study.schedule(), study.warmupFraction(), study.clipNorm(), "contrastive", false, false, true, 0, study.checkpointEvery(), 0,
                study.adamBeta2(), study.adamEps());
    }

    /** The cache key: a SHA-256 prefix over {@link #describe} and a digest of d0's captions. */
    public String key(LabeledImages d0) {
        try {
            MessageDigest captions = MessageDigest.getInstance("SHA-256");
            for (String c : d0.classNames()) captions.update((c + "\n").getBytes(StandardCharsets.UTF_8));
            Map<String, Object> k = describe(d0);
            k.put("d0_captions_sha256", HexFormat.of().formatHex(captions.digest()));
            byte[] h = MessageDigest.getInstance("SHA-256").digest(Json.write(k).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** What determines this CLIP_0 on d0, in a fixed order: the recipe, the architecture, the settings, the seed, the data's identity and size. */
    Map<String, Object> describe(LabeledImages d0) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recipe", RECIPE);
        m.put("model", Json.parseObject(model.toJson()));
        m.put("train", train.toJson());
        m.put("seed", seed);
        m.put("data", new java.util.TreeMap<>(identity));
        m.put("d0_images", d0.count());
        return m;
    }

    /** Steps of phase 0 on d0: train's epochs over every full batch of its pairs. */
    public long steps(LabeledImages d0) { return train.steps(d0.count()); }

    /**
     * The CLIP_0 trained on d0 (each item its own class, named by its caption), on the host: loaded
     * from cacheDir when it is there, else trained on device (resuming its checkpoint when one is
     * there) and cached; null when stopped by stopAt before the end (as if killed: the checkpoint
     * holds the state, nothing is cached).
     */
    public Clip obtain(LabeledImages d0, CaptionTemplates captions, TextEncoder text, ImageTensors images, Device device, Path cacheDir,
                       SessionListener listener, long stopAt) throws IOException {
        if (d0.count() < train.batch()) {
            throw new IllegalArgumentException(d0.name() + ": " + d0.count() + " image-caption pairs cannot fill one batch of " + train.batch()
                    + " to train CLIP_0 from scratch");
        }
        String key = key(d0);
        Path weights = cacheDir.resolve("clip0-scratch-" + key + ".safetensors"), partial = cacheDir.resolve("clip0-scratch-" + key + ".partial");
        Clip clip = Clip.create(model, seed);
        if (Files.isRegularFile(weights)) {
            Checkpoint.loadWeights(weights, clip, true);
            listener.info("CLIP_0 (from scratch): cached " + weights);
            return clip;
        }
        Files.createDirectories(cacheDir);
        long steps = steps(d0);
        listener.info("CLIP_0: training from scratch on " + d0.name() + " (" + d0.count() + " pairs, " + steps + " steps at batch " + train.batch()
                + (device.isCpu() ? "" : ", on " + device) + "), to be cached as " + weights);
        if (!device.isCpu()) clip.to(device);
        Phase0.Outcome o = Phase0.train(clip, train, seed, steps, Integer.MAX_VALUE, d0, d0.name() + " (phase 0, from scratch)", captions, text,
                images, partial, true, listener, stopAt);
        if (!o.finished()) return null;
        if (!device.isCpu()) clip.to(Device.CPU);
        Checkpoint.saveWeights(weights, clip);
        Map<String, Object> info = describe(d0);
        info.put("steps", steps);
        info.put("final_loss", o.finalLoss());
        AtomicFiles.write(cacheDir.resolve("clip0-scratch-" + key + ".json"), Json.pretty(info).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.deleteTree(partial);
        return clip;
    }
}

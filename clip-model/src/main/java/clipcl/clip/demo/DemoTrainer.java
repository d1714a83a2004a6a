package clipcl.clip.demo;

import clipcl.autograd.F;
import clipcl.autograd.Var;
import clipcl.autograd.checkpoint.Checkpoint;
import clipcl.autograd.checkpoint.LossGuard;
import clipcl.autograd.checkpoint.RunFolder;
import clipcl.autograd.checkpoint.TrainState;
import clipcl.autograd.optim.AdamW;
import clipcl.autograd.optim.GradClip;
import clipcl.autograd.optim.Optimizer;
import clipcl.autograd.optim.ParamGroups;
import clipcl.autograd.optim.Schedule;
import clipcl.clip.Progress;
import clipcl.clip.config.ClipConfig;
import clipcl.clip.data.FashionMnist;
import clipcl.clip.eval.Retrieval;
import clipcl.clip.eval.ZeroShotClassifier;
import clipcl.clip.model.Clip;
import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Trains a small CLIP from scratch on Fashion-MNIST image-caption pairs with the contrastive loss,
 * then evaluates zero-shot classification on the 10,000 test images and image-text retrieval.
 * Every random choice is a function of (seed, step), so a run resumed from a checkpoint ends with
 * the same numbers as one that never stopped.
 */
public final class DemoTrainer {
    /** What a run measured. */
    public record Result(double zeroshotTop1, double zeroshotTop5, Retrieval.Result retrieval, Map<String, Double> classRecall, double trainSeconds,
                         double finalLoss, long steps, ClipConfig model, WordTokenizer tokenizer, Clip clip) { }

    static final double MAX_LOGIT_SCALE = Math.log(100);
    static final int SAVE_EVERY = 100;

    private DemoTrainer() { }

    public static Result run(DemoConfig cfg, Path dataDir, Path runDir, boolean resume, PrintStream log) throws IOException {
        return run(cfg, dataDir, runDir, resume, log, Long.MAX_VALUE);
    }

    /**
     * As {@link #run(DemoConfig, Path, Path, boolean, PrintStream)}, but stops after step stopAt
     * with a checkpoint and returns null, as a killed run would (used to test resuming).
     */
    public static Result run(DemoConfig cfg, Path dataDir, Path runDir, boolean resume, PrintStream log, long stopAt) throws IOException {
        return run(cfg, dataDir, runDir, resume, false, log, stopAt, Device.CPU);
    }

    /** As above, on device. */
    public static Result run(DemoConfig cfg, Path dataDir, Path runDir, boolean resume, PrintStream log, long stopAt, Device device) throws IOException {
        return run(cfg, dataDir, runDir, resume, false, log, stopAt, device);
    }

    /**
     * As {@link #run(DemoConfig, Path, Path, boolean, PrintStream, long)}, training on device: the
     * model, optimizer state, each batch (copied over once per step) and the loss live there; only
     * the loss shown in the progress line is read back, and the evaluation encodes on the device and
     * scores on the host. overwrite starts afresh in a run folder that holds a checkpoint, which is
     * refused otherwise (see {@link RunFolder}).
     */
    public static Result run(DemoConfig cfg, Path dataDir, Path runDir, boolean resume, boolean overwrite, PrintStream log, long stopAt, Device device) throws IOException {
        Path ckpt = runDir.resolve("checkpoint");
        boolean resuming = RunFolder.begin(ckpt, resume, overwrite);
        FashionMnist.Split train = FashionMnist.train(dataDir), test = FashionMnist.test(dataDir);
        WordTokenizer tok = new WordTokenizer(FashionCaptions.corpus(), contextFor(FashionCaptions.corpus()));
        ClipConfig mcfg = cfg.model(tok.vocabSize(), tok.contextLength());
        Clip model = Clip.create(mcfg, cfg.seed(), device);
        Optimizer opt = new AdamW(ParamGroups.openClip(model.namedParameters(), cfg.weightDecay()), cfg.lr(), 0.9, 0.98, 1e-6);
        int spe = cfg.stepsPerEpoch();
        long total = (long) spe * cfg.epochs();
        Schedule schedule = new Schedule.CosineWarmup(cfg.lr(), Math.max(1, (long) (total * cfg.warmupFraction())), total);
        long start = 0;
        if (resuming) {
            start = Checkpoint.load(ckpt, model, opt).step();
            log.printf("resuming from step %d of %d (%s)%n", start, total, ckpt);
        }
        log.printf("model: %,d parameters (image: %d layers x %d wide, %d tokens; text: %d layers, context %d, vocab %d)%n",
                model.numParameters(), mcfg.vision().layers(), mcfg.vision().width(), mcfg.vision().tokens(),
                mcfg.text().layers(), mcfg.text().contextLength(), mcfg.text().vocabSize());

        int side = cfg.imageSize(), b = cfg.batch();
        float[] pixels = new float[b * 3 * side * side];
        Tensor labels = Scope.detach(Tensor.arange(b, DType.I32, device));
        Tensor maxLogitScale = Scope.detach(Tensor.scalarLike(model.logitScale().data(), MAX_LOGIT_SCALE));
        double lastLoss = Double.NaN;
        long t0 = System.nanoTime();
        int[] perm = null;
        int permEpoch = -1;
        try (Progress bar = new Progress("train", total)) {
            bar.step(start);
            for (long step = start; step < total; step++) {
                int epoch = (int) (step / spe), inEpoch = (int) (step % spe);
                if (epoch != permEpoch) {
                    perm = new Rng(cfg.seed() * 1_000_003L + epoch).permutation(train.count());
                    permEpoch = epoch;
                }
                int[] idx = java.util.Arrays.copyOfRange(perm, inEpoch * b, inEpoch * b + b);
                Rng rng = new Rng(cfg.seed() ^ 0x5DEECE66DL, step * 4096L);
                FashionCaptions.images(train, idx, side, true, rng, pixels);
                List<String> captions = new ArrayList<>(b);
                for (int i : idx) captions.add(FashionCaptions.caption(train.labels()[i], rng));
                opt.setLr(schedule.lr(step));
                try (Scope s = Scope.open()) {
                    Tensor images = Tensor.of(pixels, b, 3, side, side).to(device);
                    Tensor ids = Tensor.of(tok.encodeAll(captions), b, tok.contextLength()).to(device);
                    Var logits = model.logits(model.encodeImage(Var.constant(images)), model.encodeText(ids)); // [B, B]
                    Var imageToText = F.crossEntropy(logits, labels), textToImage = F.crossEntropy(logits.mT(), labels);
                    Var loss = imageToText.add(textToImage).mul(0.5);
                    lastLoss = loss.item();
                    if (!Double.isFinite(lastLoss)) {
                        java.util.Map<String, Double> terms = new java.util.LinkedHashMap<>();
                        terms.put("loss", lastLoss);
                        terms.put("image-to-text", imageToText.item());
                        terms.put("text-to-image", textToImage.item());
                        LossGuard.check(step + 1, terms, ckpt);
                    }
                    loss.backward();
                }
                Tensor norm = GradClip.clipGlobalNormTensor(model.trainableParameters().values(), 1.0); // no read-back
                opt.step();
                opt.zeroGrad();
                if (norm != null) norm.close();
                Tensor ls = model.logitScale().data();
                try (Tensor clamped = ls.minimum(maxLogitScale)) { ls.copyFrom(clamped); }      // on the device: no read-back
                bar.note(String.format("epoch %d/%d loss %.3f", epoch + 1, cfg.epochs(), lastLoss));
                bar.step(1);
                if ((step + 1) % SAVE_EVERY == 0 || step + 1 == total || step + 1 == stopAt) {
                    Checkpoint.save(ckpt, model, opt, new TrainState(step + 1, new Rng(cfg.seed()), schedule));
                }
                if (step + 1 == stopAt && stopAt < total) return null;
            }
        }
        double trainSeconds = (System.nanoTime() - t0) / 1e9;

        // Zero-shot top-1 on the whole test split with the prompt "a photo of a {class}."
        Tensor testImages = testImages(test, side);
        Tensor feats = host(model.encodeImages(testImages, 500));
        ZeroShotClassifier zs = ZeroShotClassifier.build(texts -> host(model.encodeTexts(Tensor.of(tok.encodeAll(texts), texts.size(), tok.contextLength()), 256)),
                FashionMnist.CLASSES, List.of(FashionCaptions.EVAL_TEMPLATE));
        double top1 = zs.topK(feats, test.labels(), 1), top5 = zs.topK(feats, test.labels(), 5);

        // Retrieval: the first 1,000 test images, two captions each from the training templates.
        int n = 1000;
        Rng capRng = new Rng(cfg.seed() + 17);
        List<String> caps = new ArrayList<>();
        int[] capToImage = new int[2 * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 2; c++) {
                capToImage[caps.size()] = i;
                caps.add(FashionCaptions.caption(test.labels()[i], capRng));
            }
        }
        Tensor txt = host(model.encodeTexts(Tensor.of(tok.encodeAll(caps), caps.size(), tok.contextLength()), 500));
        Retrieval.Result retr = Retrieval.evaluate(feats.narrow(0, 0, n), txt, capToImage);
        return new Result(top1, top5, retr, classRecall(feats.narrow(0, 0, n), txt, test.labels(), capToImage), trainSeconds, lastLoss, total, mcfg, tok, model);
    }

    private static Tensor host(Tensor t) {
        if (t.device().isCpu()) return t;
        Tensor h = t.to(Device.CPU);
        t.close();
        return h;
    }

    /**
     * Retrieval where a hit is any item of the right class: the top-1 caption of an image names its
     * class (i2t), the top-1 image of a caption shows its class (t2i). With class-only captions this
     * is the informative recall; exact-pair recall is bounded by same-class look-alikes.
     */
    static Map<String, Double> classRecall(Tensor images, Tensor texts, int[] labels, int[] capToImage) {
        Tensor sim = images.l2Normalize(-1, 1e-12).matmul(texts.l2Normalize(-1, 1e-12).mT()); // [N, M]
        int[] bestCap = sim.argmax(1, false).toIntArray(), bestImg = sim.argmax(0, false).toIntArray();
        int i2t = 0, t2i = 0;
        for (int i = 0; i < bestCap.length; i++) if (labels[capToImage[bestCap[i]]] == labels[i]) i2t++;
        for (int j = 0; j < bestImg.length; j++) if (labels[bestImg[j]] == labels[capToImage[j]]) t2i++;
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("i2t_class_R@1", 100.0 * i2t / bestCap.length);
        m.put("t2i_class_R@1", 100.0 * t2i / bestImg.length);
        return m;
    }

    static Tensor testImages(FashionMnist.Split test, int side) {
        int[] all = new int[test.count()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        float[] px = new float[all.length * 3 * side * side];
        FashionCaptions.images(test, all, side, false, null, px);
        return Tensor.of(px, all.length, 3, side, side);
    }

    static int contextFor(List<String> corpus) {
        int max = 0;
        for (String s : corpus) max = Math.max(max, WordTokenizer.words(s).size());
        return max + 2;
    }

    /** The metrics.json of a run. */
    public static Map<String, Object> metrics(Result r, DemoConfig cfg) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("zeroshot_top1", r.zeroshotTop1());
        m.put("zeroshot_top5", r.zeroshotTop5());
        m.put("zeroshot_prompt", FashionCaptions.EVAL_TEMPLATE);
        m.put("zeroshot_test_images", 10_000);
        m.put("retrieval", new java.util.LinkedHashMap<>(r.retrieval().metrics()));
        m.put("retrieval_class_match", r.classRecall());
        m.put("train_seconds", r.trainSeconds());
        m.put("final_train_loss", r.finalLoss());
        m.put("steps", r.steps());
        m.put("config", cfg.toJson());
        return m;
    }
}

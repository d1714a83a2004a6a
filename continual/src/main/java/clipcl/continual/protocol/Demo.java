package clipcl.continual.protocol;

import clipcl.clip.config.ClipConfig;
import clipcl.clip.data.FashionMnist;
import clipcl.clip.demo.DemoConfig;
import clipcl.clip.demo.FashionCaptions;
import clipcl.clip.demo.WordTokenizer;
import clipcl.clip.eval.Retrieval;
import clipcl.clip.eval.ZeroShotClassifier;
import clipcl.clip.model.Clip;
import clipcl.continual.data.CaptionTemplates;
import clipcl.continual.data.Fashion;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.LabeledImages;
import clipcl.continual.train.Placement;
import clipcl.continual.train.SessionListener;
import clipcl.tensor.Device;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo as a configuration of the engine: {@link Phase0} (a small CLIP trained from scratch on
 * Fashion-MNIST captions) into a run folder's {@code checkpoint/}, then zero-shot classification of
 * the 10,000 test images with the prompt "a photo of a {class}." and image-text retrieval on the first
 * 1,000 test images (two template captions each). Its vocabulary is Fashion-MNIST's words only.
 */
public final class Demo {
    /** What a run measured. */
    public record Result(double zeroshotTop1, double zeroshotTop5, Retrieval.Result retrieval, Map<String, Double> classRecall, double trainSeconds,
                         double finalLoss, long steps, ClipConfig model, WordTokenizer tokenizer, Clip clip) { }

    private Demo() { }

    /** Trains (or resumes) and evaluates on the CPU; returns null when stopped at stopAt (tests). */
    public static Result run(DemoConfig cfg, Path dataDir, Path runDir, boolean resume, SessionListener listener, long stopAt) throws IOException {
        return run(cfg, dataDir, runDir, resume, false, listener, stopAt, Device.CPU);
    }

    /**
     * As above, training on device: the model, its optimizer state, each batch and the loss live
     * there; the evaluation encodes there and scores on the host. A run folder that holds a
     * checkpoint is refused unless resume (continue it) or overwrite (start afresh) is set.
     */
    public static Result run(DemoConfig cfg, Path dataDir, Path runDir, boolean resume, boolean overwrite, SessionListener listener, long stopAt,
                             Device device) throws IOException {
        boolean resuming = clipcl.autograd.checkpoint.RunFolder.begin(runDir.resolve("checkpoint"), resume, overwrite);
        LabeledImages train = Fashion.train(dataDir), test = Fashion.test(dataDir);
        WordTokenizer tok = new WordTokenizer(FashionCaptions.corpus(), WordTokenizer.contextFor(FashionCaptions.corpus()));
        ClipConfig mcfg = cfg.model(tok.vocabSize(), tok.contextLength());
        Clip model = Clip.create(mcfg, cfg.seed(), device);
        listener.info(String.format("model: %,d parameters (image: %d layers x %d wide, %d tokens; text: %d layers, context %d, vocab %d)",
                model.numParameters(), mcfg.vision().layers(), mcfg.vision().width(), mcfg.vision().tokens(),
                mcfg.text().layers(), mcfg.text().contextLength(), mcfg.text().vocabSize()));
        long t0 = System.nanoTime();
        Phase0.Outcome o = Phase0.train(model, cfg, train, CaptionTemplates.fashion(), tok, cfg.imageSize(), runDir.resolve("checkpoint"), resuming, listener, stopAt);
        if (!o.finished()) return null;
        double trainSeconds = (System.nanoTime() - t0) / 1e9;

        Tensor feats = Placement.onHost(model.encodeImages(new ImageTensors(cfg.imageSize(), false).of(test, test.allItems(), null), 500));
        ZeroShotClassifier zs = ZeroShotClassifier.build(texts -> Placement.onHost(model.encodeTexts(Tensor.of(tok.encodeAll(texts), texts.size(), tok.contextLength()), 256)),
                FashionMnist.CLASSES, List.of(FashionCaptions.EVAL_TEMPLATE));
        double top1 = zs.topK(feats, test.labels(), 1), top5 = zs.topK(feats, test.labels(), 5);

        int n = Math.min(1000, test.count());
        Rng capRng = new Rng(cfg.seed() + 17);
        List<String> caps = new ArrayList<>();
        int[] capToImage = new int[2 * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 2; c++) {
                capToImage[caps.size()] = i;
                caps.add(FashionCaptions.caption(test.labels()[i], capRng));
            }
        }
        Tensor txt = Placement.onHost(model.encodeTexts(Tensor.of(tok.encodeAll(caps), caps.size(), tok.contextLength()), 500));
        Retrieval.Result retr = Retrieval.evaluate(feats.narrow(0, 0, n), txt, capToImage);
        return new Result(top1, top5, retr, classRecall(feats.narrow(0, 0, n), txt, test.labels(), capToImage), trainSeconds, o.finalLoss(), o.steps(), mcfg, tok, model);
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
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("i2t_class_R@1", 100.0 * i2t / bestCap.length);
        m.put("t2i_class_R@1", 100.0 * t2i / bestImg.length);
        return m;
    }

    /** The metrics.json of a demo run. */
    public static Map<String, Object> metrics(Result r, DemoConfig cfg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zeroshot_top1", r.zeroshotTop1());
        m.put("zeroshot_top5", r.zeroshotTop5());
        m.put("zeroshot_prompt", FashionCaptions.EVAL_TEMPLATE);
        m.put("zeroshot_test_images", 10_000);
        m.put("retrieval", new LinkedHashMap<>(r.retrieval().metrics()));
        m.put("retrieval_class_match", r.classRecall());
        m.put("train_seconds", r.trainSeconds());
        m.put("final_train_loss", r.finalLoss());
        m.put("steps", r.steps());
        m.put("config", cfg.toJson());
        return m;
    }
}

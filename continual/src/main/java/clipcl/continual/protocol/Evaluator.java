package clipcl.continual.protocol;

import clipcl.clip.eval.Retrieval;
import clipcl.clip.eval.ZeroShotClassifier;
import clipcl.clip.model.Clip;
import clipcl.continual.train.Placement;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.CaptionTemplates;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.LabeledImages;
import clipcl.continual.train.TextEncoder;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a model on the benchmark after a session (all numbers fractions in [0, 1]):
 * <ul>
 * <li>{@code ut_acc}: 10-way zero-shot accuracy on the whole digits test split (the new task);
 *     {@code ut_acc_seen}: the same over the digits of the sessions trained so far;</li>
 * <li>{@code zs_acc}: Fashion-MNIST zero-shot accuracy on the first {@code zsItems} test images (the old ability);</li>
 * <li>{@code a_acc} = (ut + zs) / 2;</li>
 * <li>{@code i2t_r1_old}, {@code t2i_r1_old}, {@code i2t_r1_new}, {@code t2i_r1_new} (and R@5, R@10): exact-pair R@1 over the first
 *     1,000 test images of each set, two template captions an image; for a test set with its own captions
 *     (Karpathy's) over all its images and every caption;</li>
 * <li>{@code tr_r1}, {@code ir_r1} (and R@5, R@10): text and image retrieval on the benchmark's further captioned
 *     test set when it has one (paper A's COCO Karpathy 5K: every image, every caption), as the retrieval command scores it;</li>
 * <li>{@code zs_acc_new_image_old_text}, {@code zs_acc_old_image_new_text}: Fashion zero-shot with the evaluated
 *     model's image tower against CLIP_0's text tower and the reverse, to show which tower forgot;</li>
 * <li>per task (a column of the accuracy matrix): accuracy on the task's digits, 10-way (class-incremental)
 *     and restricted to the task's own classes (task-aware).</li>
 * </ul>
 * Everything is deterministic (fixed items and captions), so a resumed run measures the same.
 */
public final class Evaluator {
    public static final int RETRIEVAL_IMAGES = 1000;

    /** One evaluation: the metric map and the two rows of the accuracy matrices. */
    public record Result(Map<String, Double> metrics, double[] classIncremental, double[] taskAware) { }

    private final Benchmark b;
    private final List<int[]> tasks;
    private final TextEncoder text;
    private final EvalImages digitImages, fashionImages, digitRetrImages, fashionRetrImages, captionedImages;
    private final int[] digitLabels, fashionLabels, digitCapToImage, fashionCapToImage, captionedCapToImage;
    private final List<String> digitCaps, fashionCaps, captionedCaps;
    private final Tensor clip0FashionFeatures;
    private final ZeroShotClassifier clip0Fashion;

    /** clip0 is the model before any session (kept for the cross-pairings; not changed). */
    public Evaluator(Benchmark b, List<int[]> tasks, ImageTensors images, int zsItems, Clip clip0, long seed) {
        this.b = b;
        this.tasks = List.copyOf(tasks);
        this.text = new TextEncoder(b.tokens());
        LabeledImages dt = b.digitsTest(), ft = b.fashionTest();
        int nz = Math.min(zsItems, ft.count());
        digitImages = EvalImages.of(images, dt, dt.allItems());
        digitLabels = dt.labels();
        fashionImages = EvalImages.of(images, ft, first(nz));
        fashionLabels = java.util.Arrays.copyOf(ft.labels(), nz);
        // a test set with its own captions (Karpathy's five an image) is scored whole on them, as the retrieval command does
        int rd = b.digitsTestCaptions() != null ? dt.count() : Math.min(RETRIEVAL_IMAGES, dt.count());
        int rf = b.fashionTestCaptions() != null ? ft.count() : Math.min(RETRIEVAL_IMAGES, ft.count());
        digitRetrImages = EvalImages.of(images, dt, first(rd));
        fashionRetrImages = EvalImages.of(images, ft, first(rf));
        if (b.digitsTestCaptions() != null) {
            digitCapToImage = capToImage(b.digitsTestCaptions());
            digitCaps = flat(b.digitsTestCaptions());
        } else {
            digitCapToImage = new int[2 * rd];
            digitCaps = captions(dt, rd, b.digitCaptions(), new Rng(seed + 17), digitCapToImage);
        }
        if (b.fashionTestCaptions() != null) {
            fashionCapToImage = capToImage(b.fashionTestCaptions());
            fashionCaps = flat(b.fashionTestCaptions());
        } else {
            fashionCapToImage = new int[2 * rf];
            fashionCaps = captions(ft, rf, b.fashionCaptions(), new Rng(seed + 18), fashionCapToImage);
        }
        if (b.captioned() != null) {
            LabeledImages ci = b.captioned().images();
            captionedImages = EvalImages.of(images, ci, ci.allItems());
            captionedCapToImage = capToImage(b.captioned().captions());
            captionedCaps = flat(b.captioned().captions());
        } else {
            captionedImages = null;
            captionedCapToImage = null;
            captionedCaps = null;
        }
        clip0FashionFeatures = fashionImages.features(clip0);
        clip0Fashion = classifier(clip0, ft.classNames(), b.fashionCaptions());
    }

    public Result evaluate(Clip model, int[] seenClasses) {
        model.eval();
        try (Scope s = Scope.open()) {
            Map<String, Double> m = new LinkedHashMap<>();
            Tensor df = digitImages.features(model);
            ZeroShotClassifier dz = classifier(model, b.digitsTest().classNames(), b.digitCaptions());
            float[] sim = dz.similarities(df).toFloatArray();                  // [N, 10]
            int c = b.digitsTest().numClasses();
            m.put("ut_acc", accuracy(sim, c, digitLabels, null, null));
            m.put("ut_acc_seen", accuracy(sim, c, digitLabels, ofTest(seenClasses), null));
            Tensor ff = fashionImages.features(model);
            ZeroShotClassifier fz = classifier(model, b.fashionTest().classNames(), b.fashionCaptions());
            m.put("zs_acc", fz.topK(ff, fashionLabels, 1));
            m.put("a_acc", (m.get("ut_acc") + m.get("zs_acc")) / 2);
            Retrieval.Result ro = Retrieval.evaluate(fashionRetrImages.features(model), texts(model, text.ids(fashionCaps), 500), fashionCapToImage);
            Retrieval.Result rn = Retrieval.evaluate(digitRetrImages.features(model), texts(model, text.ids(digitCaps), 500), digitCapToImage);
            m.put("i2t_r1_old", ro.get("i2t_R@1") / 100);
            m.put("t2i_r1_old", ro.get("t2i_R@1") / 100);
            m.put("i2t_r1_new", rn.get("i2t_R@1") / 100);
            m.put("t2i_r1_new", rn.get("t2i_R@1") / 100);
            for (String k : new String[] {"i2t_R@5", "i2t_R@10", "t2i_R@5", "t2i_R@10"}) {
                String key = k.toLowerCase(java.util.Locale.ROOT).replace("@", "");
                m.put(key + "_old", ro.get(k) / 100);
                m.put(key + "_new", rn.get(k) / 100);
            }
            if (captionedImages != null) {
                Retrieval.Result rc = Retrieval.evaluate(captionedImages.features(model), texts(model, text.ids(captionedCaps), 500), captionedCapToImage);
                for (String k : new String[] {"R@1", "R@5", "R@10"}) {
                    String r = k.toLowerCase(java.util.Locale.ROOT).replace("@", "");
                    m.put("tr_" + r, rc.get("i2t_" + k) / 100);
                    m.put("ir_" + r, rc.get("t2i_" + k) / 100);
                }
            }
            m.put("zs_acc_new_image_old_text", clip0Fashion.topK(ff, fashionLabels, 1));
            m.put("zs_acc_old_image_new_text", fz.topK(clip0FashionFeatures, fashionLabels, 1));
            m.put("logit_scale", Math.exp(model.logitScale().data().item()));
            double[] ci = new double[tasks.size()], ta = new double[tasks.size()];
            for (int t = 0; t < tasks.size(); t++) {
                ci[t] = accuracy(sim, c, digitLabels, ofTest(tasks.get(t)), null);
                ta[t] = accuracy(sim, c, digitLabels, ofTest(tasks.get(t)), ofTest(tasks.get(t)));
            }
            model.train(true);
            return new Result(m, ci, ta);
        }
    }

    /** UT accuracy only (for evaluation inside a session). */
    public double utAcc(Clip model) {
        model.eval();
        try (Scope s = Scope.open()) {
            Tensor df = digitImages.features(model);
            float[] sim = classifier(model, b.digitsTest().classNames(), b.digitCaptions()).similarities(df).toFloatArray();
            return accuracy(sim, b.digitsTest().numClasses(), digitLabels, null, null);
        } finally {
            model.train(true);
        }
    }

    private ZeroShotClassifier classifier(Clip model, List<String> classes, CaptionTemplates t) {
        return ZeroShotClassifier.build(texts -> texts(model, text.ids(texts), 256), classes, t.evalTemplates());
    }

    /**
     * A session's classes as classes of the test set: the same for class-labelled data; for image-caption
     * data (each image its own class, the test images not the training ones) null, the whole test set.
     */
    private int[] ofTest(int[] classes) { return b.digitsTestCaptions() != null ? null : classes; }

    /**
     * Accuracy over the items whose label is in {@code items} (all when null): an item is right when no
     * class of {@code among} (every class when null) scores strictly above its own, which must be among
     * them and not NaN. Ties count in the truth's favour, as {@code zs_acc} ({@link
     * clipcl.clip.eval.Ranking}) and retrieval count them: image-caption data can give several test
     * images the same first caption, and both accuracies must read such ties alike.
     */
    static double accuracy(float[] sim, int classes, int[] labels, int[] items, int[] among) {
        boolean[] in = mask(items, classes), allowed = mask(among, classes);
        long n = 0, ok = 0;
        for (int i = 0; i < labels.length; i++) {
            int t = labels[i];
            if (!in[t]) continue;
            n++;
            float v = sim[i * classes + t];
            if (!allowed[t] || Float.isNaN(v)) continue;
            boolean right = true;
            for (int k = 0; k < classes && right; k++) if (allowed[k] && sim[i * classes + k] > v) right = false;
            if (right) ok++;
        }
        return n == 0 ? Double.NaN : (double) ok / n;
    }

    private static boolean[] mask(int[] cls, int n) {
        boolean[] m = new boolean[n];
        if (cls == null) java.util.Arrays.fill(m, true);
        else for (int k : cls) m[k] = true;
        return m;
    }

    private static int[] first(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    private static List<String> captions(LabeledImages set, int n, CaptionTemplates t, Rng rng, int[] capToImage) {
        List<String> caps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 2; k++) {
                capToImage[caps.size()] = i;
                caps.add(t.caption(set, i, rng));
            }
        }
        return caps;
    }

    private static int[] capToImage(List<List<String>> perImage) {
        int[] out = new int[perImage.stream().mapToInt(List::size).sum()];
        int at = 0;
        for (int i = 0; i < perImage.size(); i++) for (int k = 0; k < perImage.get(i).size(); k++) out[at++] = i;
        return out;
    }

    private static List<String> flat(List<List<String>> perImage) {
        return perImage.stream().flatMap(List::stream).toList();
    }

    /**
     * An evaluation set's images: held as one tensor when the set is held in memory (the embedded
     * benchmark), else read from their files 500 at a time at every evaluation (user data: 35,000 crops
     * at 224 px would be 21 GB, more than one tensor's 2^31 elements). Either way the model encodes
     * them in the same batches of 500.
     */
    private record EvalImages(Tensor held, LabeledImages set, int[] items, ImageTensors tensors) {
        static final int BATCH = 500;

        static EvalImages of(ImageTensors tensors, LabeledImages set, int[] items) {
            if (set.source() == null) return new EvalImages(tensors.of(set, items, null), set, items, tensors);
            return new EvalImages(null, set, items.clone(), tensors);
        }

        /** The features [n, embed] on the host. */
        Tensor features(Clip m) {
            if (held != null) return images(m, held, BATCH);
            List<Tensor> parts = new ArrayList<>();
            for (int at = 0; at < items.length; at += BATCH) {
                Tensor x = tensors.of(set, java.util.Arrays.copyOfRange(items, at, Math.min(items.length, at + BATCH)), null);
                parts.add(images(m, x, BATCH));
                x.close();
            }
            if (parts.size() == 1) return parts.get(0);
            Tensor all = Tensor.concat(parts, 0);
            parts.forEach(Tensor::close);
            return all;
        }
    }

    /** encode_image on the model's device, the features brought to the host, where every score is computed. */
    private static Tensor images(Clip m, Tensor x, int batch) { return Placement.onHost(m.encodeImages(x, batch)); }

    /** encode_text on the model's device (ids made on the host go there), the features on the host. */
    private static Tensor texts(Clip m, Tensor ids, int batch) { return Placement.onHost(m.encodeTexts(ids, batch)); }
}

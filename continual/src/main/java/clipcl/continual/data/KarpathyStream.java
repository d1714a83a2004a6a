package clipcl.continual.data;

import clipcl.clip.data.KarpathySplit;
import clipcl.continual.train.Tokens;
import clipcl.tensor.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Paper B's data from Karpathy split files, as a {@link Benchmark}: the new data D is the stream
 * file's train (with restval) and val images in file order, each paired with one of its captions drawn
 * at random once (seeded), as the authors draw one of the five per item; the engine's stream protocol
 * cuts D into phases. Retrieval on the new data is measured on the stream file's test split, and on the
 * old data (CLIP_0's, e.g. COCO when the stream is Flickr30K) on the old file's test split, both with
 * every caption of an image (Karpathy's five).
 *
 * <p>Each image is its own "class" named by its caption (a template "{}" gives the caption back), so
 * the engine's class-based parts read as follows here: {@code ut_acc}/{@code zs_acc} are image-to-text
 * R@1 against the first caption of each test image, and a Mod-X row counts as right when the old model
 * retrieves the identical caption, which with unique captions is the paper's rule.
 *
 * @param stream      the new data's split file (dataset_flickr30k.json or dataset_coco.json)
 * @param imageRoot   the folder its filenames (and COCO's filepath) are read below
 * @param old         the old data's split file, whose test split measures retention
 * @param oldRoot     the folder of the old file's images
 * @param oldTrain    also read the old file's train (+restval) images, each with one caption drawn as for D: D0,
 *                    CLIP_0's training data, which CLIP_jt trains on with D
 * @param captionSeed the seed of the training caption drawn for each image
 */
public record KarpathyStream(Path stream, Path imageRoot, Path old, Path oldRoot, boolean oldTrain, long captionSeed) {
    /** The seed of the caption drawn for each training image (fixed, so every run of a study trains on the same pairs). */
    public static final long CAPTION_SEED = 20_230_723L;
    /** The template that gives the caption (the "class name") back unchanged. */
    static final CaptionTemplates AS_IS = new CaptionTemplates(List.of("{}"), "{}");

    /** What was read, with the counts a run's config records. */
    public record Loaded(Benchmark benchmark, int trainImages, int valImages) {
        public Map<String, Object> describe(KarpathyStream d) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("karpathy_stream", d.stream.toString());
            m.put("image_root", d.imageRoot.toString());
            m.put("stream_images", benchmark.digitsTrain().count());
            m.put("stream_from", "train+restval (" + trainImages + ") then val (" + valImages + "), file order; one caption an image drawn with seed " + d.captionSeed);
            m.put("new_test_images", benchmark.digitsTest().count());
            m.put("old_karpathy", d.old.toString());
            m.put("old_image_root", d.oldRoot.toString());
            m.put("old_test_images", benchmark.fashionTest().count());
            m.put("old_train_images", benchmark.fashionTrain() == null ? 0 : benchmark.fashionTrain().count());
            return m;
        }
    }

    public Loaded load(Tokens tokens) throws IOException {
        List<KarpathySplit.Item> train = present(KarpathySplit.read(stream, imageRoot, "train"), stream);
        List<KarpathySplit.Item> val = present(KarpathySplit.read(stream, imageRoot, "val"), stream);
        List<KarpathySplit.Item> d = new ArrayList<>(train);
        d.addAll(val);
        Rng rng = new Rng(captionSeed);
        LabeledImages newTrain = images(stream.getFileName() + " train+val", d, drawn(d, rng));
        LabeledImages d0 = null;
        if (oldTrain) {
            List<KarpathySplit.Item> o = present(KarpathySplit.read(old, oldRoot, "train"), old);
            d0 = images(old.getFileName() + " train", o, drawn(o, rng));
        }
        List<KarpathySplit.Item> newTest = present(KarpathySplit.read(stream, imageRoot, "test"), stream);
        List<KarpathySplit.Item> oldTest = present(KarpathySplit.read(old, oldRoot, "test"), old);
        Benchmark b = new Benchmark(d0, images(old.getFileName() + " test", oldTest, firstCaptions(oldTest)), newTrain,
                images(stream.getFileName() + " test", newTest, firstCaptions(newTest)), AS_IS, AS_IS, null, tokens,
                captions(oldTest), captions(newTest));
        return new Loaded(b, train.size(), val.size());
    }

    /** The items, after checking that every image file is there (a missing one named, with the count). */
    public static List<KarpathySplit.Item> present(List<KarpathySplit.Item> items, Path json) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (KarpathySplit.Item it : items) if (!Files.isRegularFile(it.image())) missing.add(it.image());
        if (!missing.isEmpty()) {
            throw new IOException(json + ": " + missing.size() + " of " + items.size() + " images are missing, the first " + missing.get(0)
                    + " (is the image root right?)");
        }
        return items;
    }

    private static LabeledImages images(String name, List<KarpathySplit.Item> items, List<String> names) {
        List<ImageRegions.Region> regions = new ArrayList<>(items.size());
        int[] labels = new int[items.size()];
        for (int i = 0; i < items.size(); i++) {
            regions.add(ImageRegions.Region.whole(items.get(i).image()));
            labels[i] = i;
        }
        return LabeledImages.fromSource(name, labels, names, new ImageRegions(regions));
    }

    /** One caption an image, drawn at random. */
    private static List<String> drawn(List<KarpathySplit.Item> items, Rng rng) {
        List<String> out = new ArrayList<>(items.size());
        for (KarpathySplit.Item it : items) out.add(it.captions().get(rng.nextInt(it.captions().size())));
        return out;
    }

    /** Whole images with all their captions, for retrieval. */
    public static Benchmark.Captioned captioned(String name, List<KarpathySplit.Item> items) {
        return new Benchmark.Captioned(images(name, items, firstCaptions(items)), captions(items));
    }

    private static List<String> firstCaptions(List<KarpathySplit.Item> items) {
        return items.stream().map(it -> it.captions().get(0)).toList();
    }

    private static List<List<String>> captions(List<KarpathySplit.Item> items) {
        return items.stream().map(KarpathySplit.Item::captions).toList();
    }
}

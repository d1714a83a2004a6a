package clipcl.continual.data;

import clipcl.clip.data.ImageFolder;
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
import java.util.stream.Stream;

/**
 * Paper A's data from the user's files, as a {@link Benchmark}: the updated task from a COCO folder
 * (object crops of {@code annotations/instances_train*.json} to train, of {@code instances_val*.json}
 * to test, images in the folder named after the file, e.g. {@code train2017/}), the zero-shot set from
 * an ImageFolder (one sub-folder a class, e.g. tiered-ImageNet's test classes), one prompt template.
 *
 * <p>The zero-shot images are put in a fixed shuffled order, so that a study measuring ZS-Acc on the
 * first N of them (to save time) sees every class, not the first classes' folders.
 *
 * @param coco         the COCO folder: annotations/ and one image folder a split
 * @param zsFolder     the zero-shot ImageFolder
 * @param zsClassNames a file with one class name a line for the zero-shot folders (null: folder names, '_' as space)
 * @param prompt       training captions and zero-shot prompts, "{}" = the class name
 * @param minSide      crops narrower or lower than this many pixels are skipped
 * @param keepCrowd    keep COCO's crowd annotations
 * @param karpathy     Karpathy's dataset_coco.json: test on the crops of its test split's images only (paper A's
 *                     UT test set), and retrieval (TR@1 / IR@1) on those images with their captions after every
 *                     session; null: every crop of the val file, no retrieval
 */
public record UserData(Path coco, Path zsFolder, Path zsClassNames, String prompt, int minSide, boolean keepCrowd, Path karpathy) {
    /** Paper A's prompt. */
    public static final String PAPER_PROMPT = "this is a photo of {}.";
    /** The seed of the zero-shot set's fixed order. */
    static final long ZS_ORDER_SEED = 20_220_101L;

    /** What was read, with the numbers a run's config records. */
    public record Loaded(Benchmark benchmark, CocoInstances.Crops train, CocoInstances.Crops test, Path trainJson, Path testJson) {
        public Map<String, Object> describe(UserData d) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("coco", d.coco.toString());
            m.put("train_annotations", trainJson.toString());
            m.put("test_annotations", testJson.toString());
            m.put("train_crops", train.regions().size());
            m.put("test_crops", test.regions().size());
            m.put("test_images", d.karpathy == null ? "every image of " + testJson.getFileName() : "the test split of " + d.karpathy);
            if (benchmark.captioned() != null) {
                m.put("retrieval_images", benchmark.captioned().images().count());
                m.put("retrieval_captions", benchmark.captioned().captions().stream().mapToInt(List::size).sum());
            }
            m.put("skipped_small", List.of(train.skippedSmall(), test.skippedSmall()));
            m.put("skipped_crowd", List.of(train.skippedCrowd(), test.skippedCrowd()));
            m.put("min_side", d.minSide);
            m.put("keep_crowd", d.keepCrowd);
            m.put("classes", train.classNames());
            m.put("zero_shot_folder", d.zsFolder.toString());
            m.put("zero_shot_images", benchmark.fashionTest().count());
            m.put("zero_shot_classes", benchmark.fashionTest().classNames().size());
            m.put("prompt", d.prompt);
            return m;
        }
    }

    public UserData {
        if (!prompt.contains("{}")) throw new IllegalArgumentException("prompt '" + prompt + "' has no {} for the class name");
        if (minSide < 1) throw new IllegalArgumentException("minimum crop side must be >= 1, got " + minSide);
    }

    public Loaded load(Tokens tokens) throws IOException {
        Path trainJson = annotations(coco, "train"), testJson = annotations(coco, "val");
        CocoInstances.Crops train = CocoInstances.read(trainJson, imageDir(coco, trainJson), minSide, keepCrowd);
        CocoInstances.Crops test = CocoInstances.read(testJson, imageDir(coco, testJson), minSide, keepCrowd);
        Benchmark.Captioned retrieval = null;
        if (karpathy != null) {
            List<KarpathySplit.Item> items = KarpathyStream.present(KarpathySplit.read(karpathy, coco, "test"), karpathy);
            java.util.Set<Path> files = new java.util.HashSet<>();
            for (KarpathySplit.Item it : items) files.add(it.image());
            test = test.ofImages(files, karpathy.getFileName() + " test split");
            retrieval = KarpathyStream.captioned(karpathy.getFileName() + " test", items);
        }
        if (!train.classNames().equals(test.classNames())) {
            throw new IOException(testJson + ": its categories " + test.classNames() + " are not those of " + trainJson + " " + train.classNames());
        }
        LabeledImages zs = zeroShot(zsFolder, zsClassNames);
        Benchmark b = Benchmark.userData(train.images(), test.images(), zs, prompt, tokens);
        return new Loaded(retrieval == null ? b : b.withCaptioned(retrieval), train, test, trainJson, testJson);
    }

    /** The one {@code annotations/instances_<split>*.json} of a COCO folder. */
    static Path annotations(Path coco, String split) throws IOException {
        Path dir = coco.resolve("annotations");
        if (!Files.isDirectory(dir)) throw new IOException(coco + ": no annotations/ folder (expected COCO's layout: annotations/instances_train2017.json, train2017/, ...)");
        List<Path> found;
        try (Stream<Path> s = Files.list(dir)) {
            found = s.filter(p -> p.getFileName().toString().matches("instances_" + split + "[^/]*\\.json")).sorted().toList();
        }
        if (found.isEmpty()) throw new IOException(dir + ": no instances_" + split + "*.json");
        if (found.size() > 1) throw new IOException(dir + ": several instances_" + split + "*.json (" + found + "); keep one");
        return found.get(0);
    }

    /** instances_train2017.json's images are in train2017/ beside annotations/. */
    static Path imageDir(Path coco, Path json) throws IOException {
        String split = json.getFileName().toString().replaceFirst("^instances_", "").replaceFirst("\\.json$", "");
        Path d = coco.resolve(split);
        if (!Files.isDirectory(d)) throw new IOException(json + ": its images should be in " + d + ", which is not a folder");
        return d;
    }

    /** The zero-shot ImageFolder as a file-backed set, in a fixed shuffled order. */
    static LabeledImages zeroShot(Path folder, Path classNames) throws IOException {
        ImageFolder.Dataset ds = ImageFolder.scan(folder, classNames);
        int[] perm = new Rng(ZS_ORDER_SEED).permutation(ds.paths().size());
        List<ImageRegions.Region> regions = new ArrayList<>(perm.length);
        int[] labels = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            regions.add(ImageRegions.Region.whole(ds.paths().get(perm[i])));
            labels[i] = ds.labels()[perm[i]];
        }
        return LabeledImages.fromSource("zero-shot " + folder.getFileName(), labels, ds.classNames(), new ImageRegions(regions));
    }
}

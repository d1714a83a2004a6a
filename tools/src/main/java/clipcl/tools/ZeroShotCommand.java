package clipcl.tools;

import clipcl.clip.data.FashionMnist;
import clipcl.clip.data.ImageFolder;
import clipcl.clip.eval.ZeroShotClassifier;
import clipcl.clip.image.DecodedImage;
import clipcl.clip.image.PilMode;
import clipcl.clip.image.Preprocess;
import clipcl.clip.model.Clip;
import clipcl.clip.tokenizer.ClipTokenizer;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.AtomicFiles;
import clipcl.tensor.io.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `clipcl zeroshot`: zero-shot classification accuracy of a CLIP on a labelled image set. */
@Command(name = "zeroshot", mixinStandardHelpOptions = true,
        description = {"zero-shot classification accuracy on an image folder or Fashion-MNIST", "",
            "Builds CLIP's zero-shot classifier from class names and prompt templates (the mean of the normalised text embeddings "
                + "of a class's prompts, renormalised) and reports top-1/top-5 accuracy, a table on the terminal and D/metrics.json. "
                + "Needs --vocab, and exactly one of --image-folder and --fashion-mnist.", ""})
public final class ZeroShotCommand implements Callable<Integer> {
    /** The seven templates OpenAI's prompt-engineering notebook found best for ImageNet. */
    static final List<String> ENSEMBLE = List.of("itap of a {}.", "a bad photo of the {}.", "a origami {}.",
            "a photo of the large {}.", "a {} in a video game.", "art of the {}.", "a photo of the small {}.");

    @Option(names = "--image-folder", paramLabel = "DIR", description = "one sub-folder per class (torchvision ImageFolder); names from folders")
    Path imageFolder;

    @Option(names = "--class-names", paramLabel = "FILE", description = "one class name per line, in sorted-folder order")
    Path classNames;

    @Option(names = "--fashion-mnist", paramLabel = "DIR", description = "the Fashion-MNIST test split (IDX files) instead of an image folder")
    Path fashionMnist;

    @Option(names = "--templates", paramLabel = "FILE", description = "one prompt per line with {} for the class (default \"a photo of a {}.\")")
    Path templates;

    @Option(names = "--ensemble", description = "OpenAI's seven-template ensemble")
    boolean ensemble;

    @Option(names = "--limit", paramLabel = "N", description = "evaluate only the first N images")
    int limit = Integer.MAX_VALUE;

    @Option(names = "--output-dir", paramLabel = "D", required = true, description = "where metrics.json is written (created when missing)")
    Path out;

    @Mixin
    ModelArgs model = new ModelArgs();

    @Override
    public Integer call() throws Exception {
        if ((imageFolder == null) == (fashionMnist == null)) throw new UsageException("give exactly one of --image-folder or --fashion-mnist");
        List<String> prompts = ensemble ? ENSEMBLE
                : templates != null ? clipcl.tensor.io.TextFiles.readUtf8(templates, clipcl.tensor.io.InputLimits.JSON_MAX_BYTES).lines().map(String::strip).filter(s -> !s.isEmpty()).toList()
                : List.of("a photo of a {}.");
        int batch = model.batch();
        ClipTokenizer tok = model.loadTokenizer();
        Clip clip = model.loadModel(System.err);
        int size = clip.config().vision().imageSize(), ctx = clip.config().text().contextLength();

        List<String> classes;
        int[] labels;
        Tensor feats;
        String source;
        if (imageFolder != null) {
            Path root = imageFolder;
            ImageFolder.Dataset ds = ImageFolder.scan(root, classNames);
            int n = Math.min(limit, ds.paths().size());
            classes = ds.classNames();
            labels = Arrays.copyOf(ds.labels(), n);
            feats = ImageBatches.encodeFiles(clip, ds.paths().subList(0, n), batch);
            source = root.toString();
        } else {
            Path dir = fashionMnist;
            FashionMnist.Split test = FashionMnist.test(dir);
            int n = Math.min(limit, test.count());
            classes = FashionMnist.CLASSES;
            labels = Arrays.copyOf(test.labels(), n);
            int side = FashionMnist.SIDE;
            feats = ImageBatches.encode(clip, n, batch, from -> {
                int b = Math.min(batch, n - from);
                float[] px = new float[b * 3 * size * size];
                for (int i = 0; i < b; i++) {
                    byte[] gray = Arrays.copyOfRange(test.pixels(), (from + i) * side * side, (from + i + 1) * side * side);
                    Tensor one = Preprocess.image(DecodedImage.of8(PilMode.L, side, side, gray), size);
                    System.arraycopy(one.toFloatArray(), 0, px, i * 3 * size * size, 3 * size * size);
                }
                return Tensor.of(px, b, 3, size, size);
            });
            source = dir + " (Fashion-MNIST test)";
        }
        ZeroShotClassifier zs = ZeroShotClassifier.build(texts -> ModelArgs.host(clip.encodeTexts(tok.tokenizeTensor(texts, ctx, true), batch)), classes, prompts);
        double top1 = zs.topK(feats, labels, 1), top5 = zs.topK(feats, labels, Math.min(5, classes.size()));
        int[] pred = zs.predict(feats);
        Map<String, Object> perClass = new LinkedHashMap<>();
        int[] hit = new int[classes.size()], count = new int[classes.size()];
        for (int i = 0; i < labels.length; i++) { count[labels[i]]++; if (pred[i] == labels[i]) hit[labels[i]]++; }
        for (int c = 0; c < classes.size(); c++) perClass.put(classes.get(c), count[c] == 0 ? null : (double) hit[c] / count[c]);

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zeroshot_top1", top1);
        m.put("zeroshot_top5", top5);
        m.put("images", labels.length);
        m.put("classes", classes.size());
        m.put("templates", prompts);
        m.put("source", source);
        m.put("per_class_top1", perClass);
        Files.createDirectories(out);
        AtomicFiles.write(out.resolve("metrics.json"), Json.pretty(m).getBytes(StandardCharsets.UTF_8));
        System.out.printf("zero-shot on %s: %d images, %d classes, %d template(s)%n%n", source, labels.length, classes.size(), prompts.size());
        System.out.printf("| metric | value |%n| --- | --- |%n| top-1 | %.4f |%n| top-5 | %.4f |%n", top1, top5);
        for (int c = 0; c < classes.size(); c++) {
            if (count[c] > 0) System.out.printf("| top-1 %s | %.4f |%n", classes.get(c), (double) hit[c] / count[c]);
        }
        System.out.println("\nmetrics: " + out.resolve("metrics.json"));
        return 0;
    }
}

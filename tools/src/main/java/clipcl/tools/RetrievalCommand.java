package clipcl.tools;

import clipcl.clip.data.KarpathySplit;
import clipcl.clip.eval.Retrieval;
import clipcl.clip.model.Clip;
import clipcl.clip.tokenizer.ClipTokenizer;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.AtomicFiles;
import clipcl.tensor.io.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `clipcl retrieval`: image-text retrieval recall on a Karpathy split (COCO, Flickr30K). */
@Command(name = "retrieval", mixinStandardHelpOptions = true,
        description = {"image-text retrieval recall@1/5/10 on COCO / Flickr30K Karpathy splits", "",
            "Recall@1/5/10 image-to-text (an image counts when any of its captions ranks in the top k) and text-to-image, with "
                + "mean/median rank; the full split, and with --folds K (5 for COCO's 5-fold 1K protocol) the average over K folds "
                + "of consecutive images. A table on the terminal and D/metrics.json. Needs --vocab.", ""})
public final class RetrievalCommand implements Callable<Integer> {
    @Option(names = "--karpathy", paramLabel = "JSON", required = true, description = "dataset_coco.json or dataset_flickr30k.json (Karpathy's split file)")
    Path karpathy;

    @Option(names = "--image-root", paramLabel = "DIR", required = true, description = "folder the file's paths are relative to (COCO: holds val2014/)")
    Path imageRoot;

    @Option(names = "--split", paramLabel = "S", description = "test (default), val, train")
    String split = "test";

    @Option(names = "--folds", paramLabel = "K", description = "also the average over K folds of consecutive images (COCO 1K: 5)")
    int folds;

    @Option(names = "--limit", paramLabel = "N", description = "only the first N images of the split")
    int limit = Integer.MAX_VALUE;

    @Option(names = "--output-dir", paramLabel = "D", required = true, description = "where metrics.json is written (created when missing)")
    Path out;

    @Mixin
    ModelArgs model = new ModelArgs();

    @Override
    public Integer call() throws Exception {
        List<KarpathySplit.Item> items = KarpathySplit.read(karpathy, imageRoot, split);
        if (items.size() > limit) items = items.subList(0, limit);
        int batch = model.batch();
        ClipTokenizer tok = model.loadTokenizer();
        Clip clip = model.loadModel(System.err);
        List<Path> files = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            files.add(items.get(i).image());
            for (String c : items.get(i).captions()) { captions.add(c); owner.add(i); }
        }
        Tensor img = ImageBatches.encodeFiles(clip, files, batch);
        Tensor txt = ModelArgs.host(clip.encodeTexts(tok.tokenizeTensor(captions, clip.config().text().contextLength(), true), batch));
        int[] textToImage = owner.stream().mapToInt(Integer::intValue).toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        Retrieval.Result full = Retrieval.evaluate(img, txt, textToImage);
        m.put("images", items.size());
        m.put("captions", captions.size());
        m.put("full", full.metrics());
        Retrieval.Result folded = null;
        if (folds > 0) {
            folded = Retrieval.evaluateFolds(img, txt, textToImage, folds);
            m.put("folds", folds);
            m.put("folded", folded.metrics());
        }
        Files.createDirectories(out);
        AtomicFiles.write(out.resolve("metrics.json"), Json.pretty(m).getBytes(StandardCharsets.UTF_8));
        System.out.printf("retrieval: %d images, %d captions%n%n| metric | full |%s%n| --- | --- |%s%n", items.size(), captions.size(),
                folded != null ? " " + folds + "-fold |" : "", folded != null ? " --- |" : "");
        for (String k : full.metrics().keySet()) {
            System.out.printf("| %s | %.2f |%s%n", k, full.get(k), folded != null ? String.format(" %.2f |", folded.get(k)) : "");
        }
        System.out.println("\nmetrics: " + out.resolve("metrics.json"));
        return 0;
    }
}

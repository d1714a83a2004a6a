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
import java.util.Set;

/** `clipcl retrieval`: image-text retrieval recall on a Karpathy split (COCO, Flickr30K). */
public final class RetrievalCommand implements Command {
    @Override
    public String name() { return "retrieval"; }

    @Override
    public String summary() { return "image-text retrieval recall@1/5/10 on COCO / Flickr30K Karpathy splits"; }

    @Override
    public String usage() {
        return """
            usage: clipcl retrieval --weights W --vocab V --karpathy dataset_coco.json --image-root DIR
                                    [--split test] [--folds K] [--limit N] --output-dir D

            Recall@1/5/10 image-to-text (an image counts when any of its captions ranks in the top k)
            and text-to-image, with mean/median rank; the full split, and with --folds K (5 for COCO's
            5-fold 1K protocol) the average over K folds of consecutive images. A table on the
            terminal and D/metrics.json.
              --karpathy JSON   dataset_coco.json or dataset_flickr30k.json (Karpathy's split file)
              --image-root DIR  folder the file's paths are relative to (COCO: holds val2014/)
              --split S         test (default), val, train
              --limit N         only the first N images of the split
            """ + ModelArgs.USAGE;
    }

    @Override
    public int run(String[] args) throws Exception {
        Set<String> values = new java.util.HashSet<>(ModelArgs.VALUES);
        values.addAll(Set.of("karpathy", "image-root", "split", "folds", "output-dir", "limit"));
        Args a = Args.parse(args, Set.of(), values);
        Path out = Path.of(a.require("output-dir"));
        List<KarpathySplit.Item> items = KarpathySplit.read(Path.of(a.require("karpathy")), Path.of(a.require("image-root")), a.get("split", "test"));
        int limit = a.getInt("limit", Integer.MAX_VALUE);
        if (items.size() > limit) items = items.subList(0, limit);
        int folds = a.getInt("folds", 0), batch = ModelArgs.batch(a);
        ClipTokenizer tok = ModelArgs.loadTokenizer(a);
        Clip model = ModelArgs.loadModel(a, System.err);
        List<Path> files = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            files.add(items.get(i).image());
            for (String c : items.get(i).captions()) { captions.add(c); owner.add(i); }
        }
        Tensor img = ImageBatches.encodeFiles(model, files, batch);
        Tensor txt = ModelArgs.host(model.encodeTexts(tok.tokenizeTensor(captions, model.config().text().contextLength(), true), batch));
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

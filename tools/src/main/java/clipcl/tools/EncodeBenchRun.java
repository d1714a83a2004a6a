package clipcl.tools;

import clipcl.bench.EncodeBench;
import clipcl.clip.model.Clip;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** `clipcl bench encode`: CLIP inference throughput (see {@link EncodeBench}). */
final class EncodeBenchRun {
    private EncodeBenchRun() { }

    static int run(String[] args) {
        Args a = Args.parse(args, Set.of("json"), Set.of("model", "threads", "seconds"));
        int threads = a.getInt("threads", Runtime.getRuntime().availableProcessors());
        if (threads < 1) throw new UsageException("--threads must be >= 1");
        System.setProperty("clipcl.threads", Integer.toString(threads));
        double seconds = a.getDouble("seconds", 5);
        String name = a.get("model", "ViT-B-32");
        Clip model = EncodeBench.model(name, 1);
        List<EncodeBench.Result> rs = new ArrayList<>();
        rs.add(EncodeBench.images(model, 1, seconds));
        rs.add(EncodeBench.images(model, 32, seconds));
        rs.add(EncodeBench.texts(model, 32, seconds));
        StringBuilder json = new StringBuilder("{\"bench\":\"encode\",\"model\":\"" + name + "\",\"threads\":" + threads);
        for (EncodeBench.Result r : rs) {
            if (!a.flag("json")) {
                System.out.printf(Locale.ROOT, "%-12s batch %3d: %9.2f ms/batch  %8.2f items/s%n", r.what(), r.batch(), r.msPerBatch(), r.itemsPerSecond());
            }
            json.append(String.format(Locale.ROOT, ",\"%s_b%d_items_per_s\":%.3f,\"%s_b%d_ms\":%.3f", r.what(), r.batch(), r.itemsPerSecond(), r.what(), r.batch(), r.msPerBatch()));
        }
        if (a.flag("json")) System.out.println(json.append("}"));
        return 0;
    }
}

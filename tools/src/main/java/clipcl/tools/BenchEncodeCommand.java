package clipcl.tools;

import clipcl.bench.EncodeAb;
import clipcl.bench.EncodeBench;
import clipcl.bench.EncodeProfile;
import clipcl.bench.FusionOpsAb;
import clipcl.clip.model.Clip;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `clipcl bench encode`: CLIP inference throughput (see {@link EncodeBench}). */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"encode_image images/s at batch 1 and 32 and encode_text texts/s at batch 32 of a CLIP with random weights, "
            + "inference only; with --json only the JSON line", ""})
public final class BenchEncodeCommand implements Callable<Integer> {
    @Mixin
    BuiltInModelOption model = new BuiltInModelOption();

    @Mixin
    BenchOptions bench = new BenchOptions(5);

    @Option(names = "--profile", description = "instead of throughput, where each forward's time goes: ms and share per step "
            + "(each GEMM, layer_norm, softmax, QuickGELU, copies), from timers around each step")
    boolean profile;

    @Option(names = "--ab", paramLabel = "FUSION", description = "instead of throughput, the fused inference kernel FUSION "
            + "(attention, gelu or all) against the composed path it replaces, alternating in this process; with --rounds")
    String ab;

    @Option(names = "--ab-ops", description = "instead of throughput, each fused inference kernel alone against the ops it replaces "
            + "on the model's shapes (ViT-B/32 sizes), alternating in this process; with --rounds")
    boolean abOps;

    @Option(names = "--rounds", paramLabel = "R", description = "rounds of --ab, each timing both sides for --seconds (default ${DEFAULT-VALUE})")
    int rounds = 5;

    @Override
    public Integer call() {
        int threads = bench.poolThreads();
        double s = bench.seconds();
        model.config();                                          // an unknown name is a usage error
        if (rounds < 1) throw new UsageException("--rounds must be >= 1");
        if (ab != null) {
            try {
                EncodeAb.set(ab, true);                          // an unknown name fails before any timing
            } catch (IllegalArgumentException e) {
                throw new UsageException("--ab: " + e.getMessage());
            }
        }
        if (abOps) {
            for (FusionOpsAb.Result r : FusionOpsAb.all(rounds, s)) System.out.println(r.line());
            return 0;
        }
        Clip clip = EncodeBench.model(model.name, 1);
        if (ab != null) {
            for (EncodeAb.Result r : List.of(EncodeAb.images(clip, 1, ab, rounds, s), EncodeAb.images(clip, 32, ab, rounds, s),
                    EncodeAb.texts(clip, 32, ab, rounds, s))) {
                System.out.println(r.line());
            }
            return 0;
        }
        if (profile) {
            for (EncodeProfile.Result r : List.of(EncodeProfile.images(clip, 1, s), EncodeProfile.images(clip, 32, s), EncodeProfile.texts(clip, 32, s))) {
                System.out.println(r.table());
            }
            return 0;
        }
        List<EncodeBench.Result> rs = new ArrayList<>();
        rs.add(EncodeBench.images(clip, 1, s));
        rs.add(EncodeBench.images(clip, 32, s));
        rs.add(EncodeBench.texts(clip, 32, s));
        StringBuilder json = new StringBuilder("{\"bench\":\"encode\",\"model\":\"" + model.name + "\",\"threads\":" + threads);
        for (EncodeBench.Result r : rs) {
            if (!bench.json) {
                System.out.printf(Locale.ROOT, "%-12s batch %3d: %9.2f ms/batch  %8.2f items/s%n", r.what(), r.batch(), r.msPerBatch(), r.itemsPerSecond());
            }
            json.append(String.format(Locale.ROOT, ",\"%s_b%d_items_per_s\":%.3f,\"%s_b%d_ms\":%.3f", r.what(), r.batch(), r.itemsPerSecond(), r.what(), r.batch(), r.msPerBatch()));
        }
        if (bench.json) System.out.println(json.append("}"));
        return 0;
    }
}

package clipcl.tensor.cpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.incubator.vector.FloatVector;

/**
 * Chooses this machine's {@link SgemmVariant}: forced by {@code -Dclipcl.gemm.variant=NAME}; else
 * the choice cached for this CPU model, JDK and vector width in
 * {@code ~/.cache/clipcl/gemm-tuning.json} (or {@code -Dclipcl.gemm.cache=FILE}); else, with
 * {@code -Dclipcl.gemm.tune=auto}, measured now and cached; else {@link SgemmVariant#BASELINE}.
 * Measuring is never implicit otherwise: a run's bits must not depend on a timing taken on a busy
 * machine. {@link #main} measures every variant and caches the winner.
 */
public final class SgemmTuning {
    /** One variant's best single-thread GFLOP/s on each tuning shape, and their geometric mean. */
    public record Score(SgemmVariant variant, double[] gflops, double mean) { }

    /** Tuning shapes (m, k, n, B transposed): square, CLIP's fc2 and its x @ W^T qkv. */
    private static final int[][] SHAPES = {{768, 768, 768, 0}, {400, 3072, 768, 0}, {400, 768, 2304, 1}};
    private static final Pattern ENTRY = Pattern.compile("\\{\"key\": \"([^\"]*)\", \"variant\": \"([^\"]*)\"");

    private SgemmTuning() { }

    static SgemmVariant resolve() {
        String forced = System.getProperty("clipcl.gemm.variant");
        if (forced != null && !forced.isBlank()) return SgemmVariant.byName(forced.trim());
        String cachedName = readCache(cacheFile()).get(key());
        if (cachedName != null) {
            for (SgemmVariant v : SgemmVariant.all()) if (v.name().equals(cachedName)) return v;
        }
        if ("auto".equals(System.getProperty("clipcl.gemm.tune"))) {
            SgemmVariant best = best(measure(3));
            save(best);
            return best;
        }
        return SgemmVariant.BASELINE;
    }

    /** What the cache is keyed by: CPU model, JDK build, preferred vector width. */
    public static String key() {
        String cpu = System.getProperty("os.arch");
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: the architecture name stands in for the model.
        }
        String key = cpu + " | JDK " + System.getProperty("java.vm.version") + " | "
                + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit";
        return key.replace('"', '\'').replace('\\', '/');
    }

    public static Path cacheFile() {
        String explicit = System.getProperty("clipcl.gemm.cache");
        if (explicit != null && !explicit.isBlank()) return Path.of(explicit);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("clipcl").resolve("gemm-tuning.json");
    }

    /** key -> variant name; empty when the file is missing or unreadable (then nothing is cached). */
    static Map<String, String> readCache(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            if (!Files.isRegularFile(file)) return out;
            Matcher m = ENTRY.matcher(Files.readString(file, StandardCharsets.UTF_8));
            while (m.find()) out.put(m.group(1), m.group(2));
        } catch (IOException e) {
            System.err.println("sgemm tuning: cannot read " + file + " (" + e.getMessage() + "); using the default");
        }
        return out;
    }

    /** Records {@code v} for this machine's key, keeping other machines' entries; written atomically. */
    public static void save(SgemmVariant v) {
        Path file = cacheFile();
        Map<String, String> all = readCache(file);
        all.put(key(), v.name());
        StringBuilder json = new StringBuilder("{\"entries\": [\n");
        int i = 0;
        for (Map.Entry<String, String> e : all.entrySet()) {
            json.append("  {\"key\": \"").append(e.getKey()).append("\", \"variant\": \"").append(e.getValue())
                    .append("\"}").append(++i < all.size() ? ",\n" : "\n");
        }
        json.append("]}\n");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("sgemm tuning: cannot write " + file + " (" + e.getMessage() + "); not cached");
        }
    }

    public static SgemmVariant best(List<Score> scores) {
        Score best = scores.get(0);
        for (Score s : scores) if (s.mean() > best.mean()) best = s;
        return best.variant();
    }

    /**
     * Times every variant on one thread over the tuning shapes: {@code rounds} rounds after one of
     * warm-up, the variants interleaved inside each round so that other load falls on all alike;
     * each shape's best call counts.
     */
    public static List<Score> measure(int rounds) {
        SplittableRandom r = new SplittableRandom(11);
        List<float[][]> data = new ArrayList<>();
        for (int[] s : SHAPES) data.add(new float[][] {random(r, s[0] * s[1]), random(r, s[1] * s[2]), new float[s[0] * s[2]]});
        List<SgemmVariant> variants = SgemmVariant.all();
        double[][] bestMs = new double[variants.size()][SHAPES.length];
        for (double[] row : bestMs) java.util.Arrays.fill(row, Double.MAX_VALUE);
        for (int round = 0; round <= rounds; round++) {
            for (int vi = 0; vi < variants.size(); vi++) {
                for (int si = 0; si < SHAPES.length; si++) {
                    int[] s = SHAPES[si];
                    float[][] d = data.get(si);
                    for (int rep = 0; rep < (round == 0 ? 8 : 3); rep++) {
                        long t0 = System.nanoTime();
                        run(variants.get(vi), s, d);
                        double ms = (System.nanoTime() - t0) / 1e6;
                        if (round > 0) bestMs[vi][si] = Math.min(bestMs[vi][si], ms);
                    }
                }
            }
        }
        List<Score> out = new ArrayList<>();
        for (int vi = 0; vi < variants.size(); vi++) {
            double[] g = new double[SHAPES.length];
            double logSum = 0;
            for (int si = 0; si < SHAPES.length; si++) {
                int[] s = SHAPES[si];
                g[si] = 2.0 * s[0] * s[1] * s[2] / (bestMs[vi][si] * 1e6);
                logSum += Math.log(g[si]);
            }
            out.add(new Score(variants.get(vi), g, Math.exp(logSum / SHAPES.length)));
        }
        return out;
    }

    private static void run(SgemmVariant v, int[] s, float[][] d) {
        int m = s[0], k = s[1], n = s[2];
        boolean tb = s[3] != 0;
        Sgemm.single(v, m, n, k, d[0], 0, k, 1, d[1], 0, tb ? 1 : n, tb ? k : 1, d[2], 0, n, false);
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }

    /** Measures the FMA peak and every variant, prints both, caches the fastest. Args: [rounds]. */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        System.out.println("machine: " + key());
        System.out.println(FmaPeak.get());
        List<Score> scores = measure(rounds);
        System.out.println("| variant | 768^3 | fc2 400x3072x768 | qkv^T 400x768x2304 | geo-mean GFLOP/s |");
        System.out.println("|---|---|---|---|---|");
        for (Score s : scores) {
            System.out.printf("| %s | %.1f | %.1f | %.1f | %.1f |%n", s.variant().name(), s.gflops()[0], s.gflops()[1],
                    s.gflops()[2], s.mean());
        }
        SgemmVariant best = best(scores);
        save(best);
        System.out.println("chosen: " + best.name() + " (cached in " + cacheFile() + ")");
    }
}

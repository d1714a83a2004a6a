package clipcl.continual.study;

import clipcl.clip.demo.DemoConfig;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.LabeledImages;
import clipcl.continual.protocol.Protocol;
import clipcl.continual.protocol.StudyConfig;
import clipcl.continual.train.TrainConfig;
import clipcl.continual.train.UpdateOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings every cell of a study shares: how a session trains and how much of the benchmark is
 * used. Subsets are deterministic (the first items of each class in file order), so a cell reruns
 * bit for bit. Counts of 0 mean "all".
 *
 * @param name               "quick", "full" or a name from a config file
 * @param batch              images a step
 * @param epochs             passes over a session's items, the same in every protocol (so each digit is seen
 *                           as often under OST, MST and the stream)
 * @param lr                 AdamW learning rate (cosine schedule, 10% warm-up, weight decay 0.1, clip 1.0)
 * @param digitsTrainPerClass digits training images kept per class (0 = all, 800 a class)
 * @param digitsTestPerClass  digits test images kept per class, for UT-Acc and the accuracy matrix (0 = all, 200)
 * @param fashionTrainItems  first Fashion-MNIST training images kept (the linear probe fits on them; 0 = all)
 * @param fashionTestItems   first Fashion-MNIST test images kept (ZS-Acc, retrieval, spatial disorder; 0 = all)
 * @param zsItems            Fashion-MNIST test images scored for ZS-Acc
 * @param modxBuffer         the replay buffer of the "Mod-X + buffer" row
 * @param checkpointEvery    steps between checkpoints (and at every session end)
 */
public record StudyPreset(String name, int batch, double epochs, double lr, int digitsTrainPerClass, int digitsTestPerClass,
                          int fashionTrainItems, int fashionTestItems, int zsItems, int modxBuffer, int checkpointEvery) {

    public StudyPreset {
        if (batch <= 0 || !(epochs > 0) || !(lr > 0) || zsItems <= 0 || modxBuffer <= 0 || checkpointEvery <= 0) {
            throw new IllegalArgumentException("study preset '" + name + "': batch, epochs, lr, zs_items, modx_buffer and checkpoint_every must be positive");
        }
        if (digitsTrainPerClass < 0 || digitsTestPerClass < 0 || fashionTrainItems < 0 || fashionTestItems < 0) {
            throw new IllegalArgumentException("study preset '" + name + "': subset sizes must be >= 0 (0 = all)");
        }
    }

    /**
     * About 7 s a cell on two quiet cores, so the 39 cells take under 5 minutes: one epoch over 160
     * digits a class at batch 64 (25 steps under OST, 5 a session under MST and the stream), and every
     * evaluation on 50 digits a class and the first 400 Fashion-MNIST test images (ZS-Acc, retrieval,
     * spatial disorder) with a linear probe fitted on 200 + 200 Fashion training images. Enough to see
     * the ordering of the methods, not to quote to a decimal.
     */
    public static StudyPreset quick() { return new StudyPreset("quick", 64, 1, 3e-4, 160, 50, 400, 400, 400, 500, 20); }

    /**
     * The full study: all 8,000 training digits twice in every protocol at batch 256 (62 steps under
     * OST, 12 a session under MST and the stream), evaluated as {@code clipcl continual --quick} does
     * (every test digit, ZS-Acc on the first 2,000 Fashion-MNIST test images). CLIP_jt's D0 is the first
     * 8,000 Fashion-MNIST training images, as many as the digits: all 60,000 would make its three cells
     * cost more than the rest of a seed together.
     */
    public static StudyPreset full() { return new StudyPreset("full", 256, 2, 3e-4, 0, 0, 8000, 0, 2000, 1000, 20); }

    /** CLIP_0 of every preset: the quick demo model, the one {@code clipcl continual --quick} caches. */
    public DemoConfig clip0() { return DemoConfig.quick(); }

    /** The benchmark this preset's cells train and evaluate on, cut from the whole one. */
    public Benchmark benchmark(Benchmark all) {
        return new Benchmark(first(all.fashionTrain(), fashionTrainItems), first(all.fashionTest(), fashionTestItems),
                perClass(all.digitsTrain(), digitsTrainPerClass), perClass(all.digitsTest(), digitsTestPerClass),
                all.fashionCaptions(), all.digitCaptions(), all.tokenizer());
    }

    /** The method spec of the "Mod-X + buffer" row. */
    public String modxWithBuffer() { return "mod-x:buffer=" + modxBuffer; }

    /** One cell's configuration for one seed (update WM; MST: 5 sessions of 2 digits; the stream: 5 phases). */
    public StudyConfig studyConfig(String method, Protocol protocol, long seed) {
        TrainConfig tc = new TrainConfig(batch, epochs, lr, 0.1, "adamw", "cosine", 0.1, 1.0, protocol.defaultObjective(), false, true, true,
                0, checkpointEvery, replays(method) ? 0.25 : 0);
        return new StudyConfig(method, protocol, UpdateOption.WM, seed, tc, zsItems, 2, 5, null);
    }

    /** Whether a method draws part of each batch from a replay buffer (DER always, Mod-X with one). */
    static boolean replays(String method) {
        String base = clipcl.continual.method.MethodOptions.baseName(method);
        return base.equals("der") || (base.equals("mod-x") && method.contains("buffer="));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("batch", batch);
        m.put("epochs", epochs);
        m.put("lr", lr);
        m.put("digits_train_per_class", digitsTrainPerClass);
        m.put("digits_test_per_class", digitsTestPerClass);
        m.put("fashion_train_items", fashionTrainItems);
        m.put("fashion_test_items", fashionTestItems);
        m.put("zs_items", zsItems);
        m.put("modx_buffer", modxBuffer);
        m.put("checkpoint_every", checkpointEvery);
        return m;
    }

    /** The preset a config file or a run's config.json names: "quick", "full", or every field spelled out. */
    public static StudyPreset fromJson(Object j, String where) {
        if (j instanceof String s) {
            return switch (s) {
                case "quick" -> quick();
                case "full" -> full();
                default -> throw new IllegalArgumentException(where + ": preset '" + s + "': expected quick, full or an object");
            };
        }
        if (!(j instanceof Map<?, ?> m)) throw new IllegalArgumentException(where + ": preset must be \"quick\", \"full\" or an object");
        StudyPreset base = "quick".equals(m.get("name")) ? quick() : full();
        return new StudyPreset(m.get("name") instanceof String n ? n : "custom",
                (int) num(m, "batch", base.batch, where), num(m, "epochs", base.epochs, where), num(m, "lr", base.lr, where),
                (int) num(m, "digits_train_per_class", base.digitsTrainPerClass, where), (int) num(m, "digits_test_per_class", base.digitsTestPerClass, where),
                (int) num(m, "fashion_train_items", base.fashionTrainItems, where), (int) num(m, "fashion_test_items", base.fashionTestItems, where),
                (int) num(m, "zs_items", base.zsItems, where), (int) num(m, "modx_buffer", base.modxBuffer, where),
                (int) num(m, "checkpoint_every", base.checkpointEvery, where));
    }

    private static double num(Map<?, ?> m, String key, double dflt, String where) {
        Object v = m.get(key);
        if (v == null) return dflt;
        if (!(v instanceof Number n)) throw new IllegalArgumentException(where + ": preset field '" + key + "' must be a number, got " + v);
        return n.doubleValue();
    }

    static LabeledImages first(LabeledImages set, int n) {
        if (n == 0 || n >= set.count()) return set;
        int[] items = new int[n];
        for (int i = 0; i < n; i++) items[i] = i;
        return set.subset(items, set.name() + " (first " + n + ")");
    }

    static LabeledImages perClass(LabeledImages set, int k) {
        if (k == 0) return set;
        int[] taken = new int[set.numClasses()];
        int[] items = new int[set.count()];
        int n = 0;
        for (int i = 0; i < set.count(); i++) if (taken[set.labels()[i]]++ < k) items[n++] = i;
        return set.subset(Arrays.copyOf(items, n), set.name() + " (first " + k + " a class)");
    }
}

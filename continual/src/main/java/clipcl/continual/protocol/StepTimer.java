package clipcl.continual.protocol;

import clipcl.clip.model.Clip;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.train.RunFolder;
import clipcl.continual.train.SessionListener;
import clipcl.tensor.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The cost of one training step of each method, in isolation: each method's study runs its first session
 * for warm-up + steps steps in a throw-away folder, and only the wall time between two consecutive steps of
 * that session counts (setup, teacher copies, evaluation and checkpoints fall outside). Methods alternate
 * round by round so that drift of the machine hits all of them alike; the result is the median over every
 * timed step of every round.
 */
public final class StepTimer {
    /** Median and spread of one method's step time, in seconds. */
    public record Times(String method, double median, double p10, double p90, int samples) { }

    private StepTimer() { }

    /**
     * @param base    the study every method runs (its method field is replaced); checkpointing is switched
     *                off inside the timed window by the caller's checkpointEvery
     * @param methods method specs, the first is the baseline of the ratios
     * @param log     a line per method and round
     */
    public static List<Times> time(StudyConfig base, List<String> methods, Benchmark bench, Clip clip0, ImageTensors images,
                                   int warmup, int steps, int rounds, Consumer<String> log) throws IOException {
        if (methods.isEmpty()) throw new IllegalArgumentException("no methods to time");
        if (warmup < 1 || steps < 1 || rounds < 1) throw new IllegalArgumentException("warmup, steps and rounds must be >= 1");
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        for (String m : methods) samples.put(m, new ArrayList<>());
        Path tmp = Files.createTempDirectory("clipcl-step-times");
        try {
            for (int r = 0; r < rounds; r++) {
                for (String m : methods) {
                    Recorder rec = new Recorder(warmup);
                    Path dir = tmp.resolve("r" + r + "-" + m.replaceAll("[^A-Za-z0-9_.-]", "_"));
                    new Study(new StudyConfig(m, base.protocol(), base.update(), base.seed(), base.train(), base.zsItems(),
                            base.mstPerSession(), base.streamPhases(), base.mstOrder(), base.device()), bench, clip0, images, rec)
                            .stopAt(warmup + steps).run(RunFolder.open(dir, false));
                    if (rec.times.size() < steps) {
                        throw new IllegalStateException(m + ": its first session has " + (rec.times.size() + warmup)
                                + " steps, fewer than --warmup + --steps (" + (warmup + steps) + ")");
                    }
                    samples.get(m).addAll(rec.times);
                    log.accept(String.format(java.util.Locale.ROOT, "round %d: %-28s %.1f ms a step (median of %d)", r + 1, m,
                            1e3 * quantile(rec.times, 0.5), rec.times.size()));
                    delete(dir);
                }
            }
        } finally {
            delete(tmp);
        }
        List<Times> out = new ArrayList<>();
        for (var e : samples.entrySet()) {
            List<Double> t = e.getValue();
            out.add(new Times(e.getKey(), quantile(t, 0.5), quantile(t, 0.1), quantile(t, 0.9), t.size()));
        }
        return out;
    }

    /** Linear-interpolated quantile q of the values. */
    static double quantile(List<Double> values, double q) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        if (v.length == 0) return Double.NaN;
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }

    private static void delete(Path p) {
        try {
            AtomicFiles.deleteTree(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the timing folder " + p, e);
        }
    }

    /** Seconds between consecutive steps of the first session, after the warm-up steps. */
    private static final class Recorder implements SessionListener {
        final List<Double> times = new ArrayList<>();
        final int warmup;
        long last = -1;
        int session = -1;

        Recorder(int warmup) { this.warmup = warmup; }

        @Override
        public void step(int s, long step, Map<String, Double> terms) {
            long now = System.nanoTime();
            if (session < 0) session = s;
            if (s != session) return;
            if (step > warmup && last >= 0) times.add((now - last) * 1e-9);
            last = now;
        }
    }
}

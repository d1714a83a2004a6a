package clipcl.continual.protocol;

import clipcl.clip.model.Clip;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.report.RunReport;
import clipcl.continual.report.RunResult;
import clipcl.continual.train.RunFolder;
import clipcl.continual.train.SessionListener;
import clipcl.tensor.io.AtomicFiles;
import clipcl.tensor.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one study over several seeds into a run folder: with one seed the folder is the seed's run;
 * with several, each seed runs in {@code seed-<s>/} (its own checkpoint, metrics and charts) and the
 * folder gets the mean over seeds ({@code <key>_std} beside each value). The folder's
 * {@code config.json} holds every resolved setting.
 */
public final class Studies {
    private Studies() { }

    /** Returns the (mean) result, or null when a seed was stopped early (tests). */
    public static RunResult run(StudyConfig base, List<Long> seeds, Benchmark bench, Clip clip0, ImageTensors images,
                                Path dir, boolean resume, Map<String, Object> extraConfig, SessionListener listener, long stopAt) throws IOException {
        if (seeds.isEmpty()) throw new IllegalArgumentException("no seeds");
        RunFolder top = RunFolder.open(dir, resume);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("study", base.toJson());
        List<Object> ss = new ArrayList<>(seeds);
        config.put("seeds", ss);
        config.putAll(extraConfig);
        config.put("java", System.getProperty("java.version"));
        AtomicFiles.write(dir.resolve("config.json"), (Json.pretty(config) + "\n").getBytes(StandardCharsets.UTF_8));
        List<RunResult> results = new ArrayList<>();
        for (long seed : seeds) {
            Path seedDir = seeds.size() == 1 ? dir : dir.resolve("seed-" + seed);
            RunFolder f = seeds.size() == 1 ? new RunFolder(dir, top.resuming()) : RunFolder.open(seedDir, resume);
            listener.info("seed " + seed + ": " + base.method() + " / " + base.protocol().id() + " / " + base.update().id() + " in " + seedDir);
            RunResult r = new Study(base.withSeed(seed), bench, clip0, images, listener).stopAt(stopAt).run(f);
            if (r == null) return null;
            if (seeds.size() > 1) RunReport.write(seedDir, r);
            results.add(r);
        }
        RunResult mean = RunResult.meanOverSeeds(results);
        RunReport.write(dir, mean);
        return mean;
    }
}

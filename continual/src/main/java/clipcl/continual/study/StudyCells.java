package clipcl.continual.study;

import clipcl.clip.model.Clip;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.protocol.Clip0;
import clipcl.continual.protocol.Studies;
import clipcl.continual.protocol.StudyConfig;
import clipcl.continual.train.SessionListener;
import clipcl.tensor.Device;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a study's cells with the engine ({@link Studies}, one seed a run folder) on the preset's cut of
 * the benchmark, every cell from the same CLIP_0. Each run's {@code config.json} holds, beside the
 * engine's resolved settings, what reruns it bit for bit on the CPU: the cell, the seed, the preset,
 * CLIP_0's cache key and settings, the data's checksums and the versions ({@link StudyRerun} reads it).
 *
 * @param all         the whole benchmark (CLIP_0's cache key is computed from it)
 * @param provenance  the data's checksums ({@link Provenance#data}) and anything else to record
 * @param versions    java, the project's version or commit, ...
 * @param device      where the sessions train (CLIP_0 and the scores stay on the CPU, as in the engine)
 */
public record StudyCells(Benchmark all, Clip clip0, ImageTensors images, StudyPreset preset, Map<String, Object> provenance,
                         Map<String, Object> versions, Device device) implements GridRunner.CellRunner {

    public static final String RUN_KEY = "study_run";

    /** Sessions on the CPU. */
    public StudyCells(Benchmark all, Clip clip0, ImageTensors images, StudyPreset preset, Map<String, Object> provenance, Map<String, Object> versions) {
        this(all, clip0, images, preset, provenance, versions, Device.CPU);
    }

    @Override
    public void run(GridRun run, Path dir, boolean resume, SessionListener listener) throws Exception {
        StudyConfig cfg = preset.studyConfig(run.cell().method(), run.cell().protocol(), run.seed()).withDevice(device);
        Studies.run(cfg, List.of(run.seed()), preset.benchmark(all), clip0, images, dir, resume, extraConfig(run), listener, Long.MAX_VALUE);
    }

    /** What config.json records beyond the engine's settings. */
    Map<String, Object> extraConfig(GridRun run) {
        Map<String, Object> cell = new LinkedHashMap<>();
        cell.put("label", run.cell().label());
        cell.put("method", run.cell().method());
        cell.put("protocol", run.cell().protocol().id());
        cell.put("seed", run.seed());
        cell.put("preset", preset.toJson());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put(RUN_KEY, cell);
        Map<String, Object> clip = new LinkedHashMap<>();   // ordered maps only: the files' bytes must not vary between runs
        clip.put("demo", preset.clip0().toJson());
        clip.put("cache_key", Clip0.key(preset.clip0(), all));
        extra.put("clip0", clip);
        extra.put("data", provenance);
        extra.put("versions", versions);
        extra.put("rerun", "clipcl study --rerun <this folder> (on the CPU: the same metrics.json, byte for byte)");
        return extra;
    }
}

package clipcl.continual.study;

import clipcl.continual.protocol.Clip0;
import clipcl.continual.protocol.Protocol;
import clipcl.continual.train.SessionListener;
import clipcl.tensor.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reruns one run of a study from its {@code config.json} into a fresh folder beside it
 * ({@code <run>.rerun-<n>}) and compares the two {@code metrics.json} files byte for byte. The rerun
 * is refused when the data's checksums or the engine's resolved settings are not what the run recorded:
 * then it could not be the same computation.
 */
public final class StudyRerun {
    private StudyRerun() { }

    /** @param firstDifference null when identical, else the first differing line of the two files */
    public record Result(Path rerunDir, boolean identical, String firstDifference) { }

    /** The recorded cell of a run folder: its config.json's {@value StudyCells#RUN_KEY} object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> recorded(Path runDir) throws IOException {
        Path f = runDir.resolve("config.json");
        if (!Files.isRegularFile(f)) throw new IOException(runDir + " holds no config.json: not a run folder of a study (expected D/runs/<cell>/seed-<s>)");
        Map<String, Object> c = Json.readObject(f);
        if (!(c.get(StudyCells.RUN_KEY) instanceof Map<?, ?> m)) throw new IOException(f + " has no '" + StudyCells.RUN_KEY + "': not a run of `clipcl study`");
        if (!Files.isRegularFile(runDir.resolve("metrics.json"))) throw new IOException(runDir + " holds no metrics.json: the run did not finish, nothing to compare with");
        return c;
    }

    /** The preset a run folder was made with. */
    @SuppressWarnings("unchecked")
    public static StudyPreset preset(Map<String, Object> config, Path runDir) {
        return StudyPreset.fromJson(((Map<String, Object>) config.get(StudyCells.RUN_KEY)).get("preset"), runDir + "/config.json");
    }

    @SuppressWarnings("unchecked")
    public static Result rerun(Path runDir, StudyCells cells, SessionListener listener) throws Exception {
        Map<String, Object> config = recorded(runDir);
        Map<String, Object> cell = (Map<String, Object>) config.get(StudyCells.RUN_KEY);
        String where = runDir.resolve("config.json").toString();
        if (!Json.write(cell.get("preset")).equals(Json.write(cells.preset().toJson()))) {
            throw new IllegalArgumentException(where + ": recorded preset " + Json.write(cell.get("preset")) + " is not the one given " + Json.write(cells.preset().toJson()));
        }
        Object clip0 = config.get("clip0") instanceof Map<?, ?> c ? c.get("cache_key") : null;
        String key = Clip0.key(cells.preset().clip0(), cells.all());
        if (clip0 != null && !clip0.equals(key)) {
            throw new IllegalArgumentException(where + ": the run started from CLIP_0 " + clip0 + " (its cache key); this build trains CLIP_0 "
                    + key + " for the same settings (its training recipe has changed since), so a rerun would not be the same computation");
        }
        if (!cells.provenance().equals(config.get("data"))) {
            throw new IOException(where + ": the data differ from the run's: recorded " + Json.write(config.get("data")) + ", found " + Json.write(cells.provenance()));
        }
        GridRun run = new GridRun(new GridCell((String) cell.get("label"), (String) cell.get("method"), Protocol.parse((String) cell.get("protocol"))),
                ((Number) cell.get("seed")).longValue());
        String settings = Json.write(cells.preset().studyConfig(run.cell().method(), run.cell().protocol(), run.seed()).toJson());
        if (!settings.equals(Json.write(config.get("study")))) {
            throw new IllegalArgumentException(where + ": the engine now resolves this cell to " + settings + ", the run recorded "
                    + Json.write(config.get("study")) + "; a rerun would not be the same computation");
        }
        Path fresh = null;
        for (int n = 1; fresh == null || Files.exists(fresh); n++) fresh = runDir.resolveSibling(runDir.getFileName() + ".rerun-" + n);
        cells.run(run, fresh, false, listener);
        String diff = firstDifference(Files.readString(runDir.resolve("metrics.json")), Files.readString(fresh.resolve("metrics.json")));
        return new Result(fresh, diff == null, diff);
    }

    /** Null when a equals b, else "line N: <a's line> | <b's line>". */
    static String firstDifference(String a, String b) {
        if (a.equals(b)) return null;
        List<String> la = a.lines().toList(), lb = b.lines().toList();
        for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
            String x = i < la.size() ? la.get(i) : "<end of file>", y = i < lb.size() ? lb.get(i) : "<end of file>";
            if (!x.equals(y)) return "line " + (i + 1) + ": recorded '" + x.trim() + "', rerun '" + y.trim() + "'";
        }
        return "the files differ only in line endings";
    }
}

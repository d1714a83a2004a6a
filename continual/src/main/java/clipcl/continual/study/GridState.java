package clipcl.continual.study;

import clipcl.tensor.io.AtomicFiles;
import clipcl.tensor.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a study stands, kept in {@code grid.json} of its folder and rewritten atomically after every
 * change, so a kill at any point leaves the last complete state: the grid, and for each run its status
 * (todo, running, done, failed), its error and its wall time. A run found "running" was interrupted;
 * its own checkpoint says where it stood.
 */
public final class GridState {
    public static final String FILE = "grid.json";

    public enum Status { PENDING, RUNNING, DONE, FAILED }

    /** One run's record; wall time in seconds of the attempt that finished it, resumed when it went on from a checkpoint. */
    public static final class Entry {
        public Status status = Status.PENDING;
        public String error;
        public double wallSeconds = Double.NaN;
        public boolean resumed;
    }

    private final StudyGrid grid;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public GridState(StudyGrid grid) {
        this.grid = grid;
        for (GridRun r : grid.runs()) entries.put(r.id(), new Entry());
    }

    public StudyGrid grid() { return grid; }

    public Entry entry(GridRun r) {
        Entry e = entries.get(r.id());
        if (e == null) throw new IllegalArgumentException("run " + r.id() + " is not in this study's grid");
        return e;
    }

    public int count(Status s) {
        int n = 0;
        for (Entry e : entries.values()) if (e.status == s) n++;
        return n;
    }

    public void save(Path studyDir) throws IOException {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("schema", 1);
        j.put("grid", grid.toJson());
        List<Object> runs = new ArrayList<>();
        for (GridRun r : grid.runs()) {
            Entry e = entries.get(r.id());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", r.id());
            m.put("status", e.status.name().toLowerCase(java.util.Locale.ROOT));
            if (e.error != null) m.put("error", e.error);
            if (!Double.isNaN(e.wallSeconds)) m.put("wall_s", e.wallSeconds);
            if (e.resumed) m.put("resumed", true);
            runs.add(m);
        }
        j.put("runs", runs);
        AtomicFiles.write(studyDir.resolve(FILE), (Json.pretty(j) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public static boolean exists(Path studyDir) { return Files.isRegularFile(studyDir.resolve(FILE)); }

    @SuppressWarnings("unchecked")
    public static GridState load(Path studyDir) throws IOException {
        Path f = studyDir.resolve(FILE);
        Map<String, Object> j = Json.readObject(f);
        try {
            if (!Long.valueOf(1).equals(j.get("schema"))) throw new IllegalArgumentException("schema is " + j.get("schema") + ", expected 1");
            GridState st = new GridState(StudyGrid.read((Map<String, Object>) j.get("grid"), f.toString()));
            for (Object o : (List<Object>) j.get("runs")) {
                Map<String, Object> m = (Map<String, Object>) o;
                Entry e = st.entries.get((String) m.get("run"));
                if (e == null) throw new IllegalArgumentException("run '" + m.get("run") + "' is not in the grid");
                e.status = Status.valueOf(((String) m.get("status")).toUpperCase(java.util.Locale.ROOT));
                e.error = (String) m.get("error");
                e.wallSeconds = m.get("wall_s") instanceof Number n ? n.doubleValue() : Double.NaN;
                e.resumed = Boolean.TRUE.equals(m.get("resumed"));
            }
            return st;
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new IOException(f + ": not a study state: " + e.getMessage(), e);
        }
    }
}

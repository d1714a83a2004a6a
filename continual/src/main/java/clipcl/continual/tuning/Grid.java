package clipcl.continual.tuning;

import clipcl.clip.model.Clip;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.method.MethodOptions;
import clipcl.continual.method.Methods;
import clipcl.continual.protocol.Studies;
import clipcl.continual.protocol.StudyConfig;
import clipcl.continual.report.RunResult;
import clipcl.continual.train.SessionListener;
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
 * Hyper-parameter selection as paper A does it: a method runs once for every point of a small grid
 * over one or two of its options (LwF/GeoDL/VR-LwF beta, IMM alpha, Mod-X alpha, EWC lambda), each on
 * the validation benchmark ({@link ValidationSplit#benchmark}: trained on the fitting part of the
 * digits, measured on the held-out part, never the test split), and the point with the highest value
 * of the criterion (a final metric, A-Acc by default) is chosen; ties go to the earlier point in grid
 * order. Each point's run lives in {@code cells/<method spec>/} (a full run folder, resumable); the grid
 * folder gets {@code grid.json} (every point's final metrics, the rule of the split, the criterion and
 * the choice) and {@code grid.md} (the same as a table).
 */
public final class Grid {
    /** The default criterion: paper A's A-Acc, (UT-Acc + ZS-Acc) / 2. */
    public static final String A_ACC = "a_acc";
    static final List<String> SHOWN = List.of("ut_acc", "zs_acc", "a_acc", "bwt");

    /** One option and the values it takes, e.g. {@code beta=0.5,1,2}. */
    public record Axis(String key, List<String> values) {
        public Axis {
            values = List.copyOf(values);
            if (key == null || key.isBlank() || key.contains(",") || key.contains("=")) throw new IllegalArgumentException("grid axis: bad option name '" + key + "'");
            if (values.isEmpty()) throw new IllegalArgumentException("grid axis " + key + ": no values");
            if (values.stream().distinct().count() != values.size()) throw new IllegalArgumentException("grid axis " + key + ": a value is listed twice");
        }

        /** {@code key=v1,v2,...} */
        public static Axis parse(String s) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) throw new IllegalArgumentException("grid axis '" + s + "' is not key=v1,v2,...");
            List<String> v = new ArrayList<>();
            for (String x : s.substring(eq + 1).split(",")) v.add(x.trim());
            return new Axis(s.substring(0, eq).trim(), v);
        }
    }

    /** One grid point: the method spec it ran, its option values, its final (validation) metrics. */
    public record Cell(String method, Map<String, String> values, Map<String, Double> metrics) { }

    /** Every point in grid order, and the chosen one. */
    public record Outcome(List<Cell> cells, Cell chosen, String criterion) { }

    private Grid() { }

    /** The method specs of the grid, first axis slowest; each option must be new to base's spec. */
    public static List<String> specs(String baseSpec, List<Axis> axes) {
        if (axes.isEmpty() || axes.size() > 2) throw new IllegalArgumentException("a grid has one or two axes, got " + axes.size());
        MethodOptions base = MethodOptions.parse(baseSpec);
        for (Axis a : axes) {
            if (base.values().containsKey(a.key())) throw new IllegalArgumentException("grid axis " + a.key() + " is already set in the method '" + baseSpec + "'");
        }
        if (axes.size() == 2 && axes.get(0).key().equals(axes.get(1).key())) throw new IllegalArgumentException("grid axes name the same option twice");
        List<String> out = new ArrayList<>();
        for (String v0 : axes.get(0).values()) {
            if (axes.size() == 1) out.add(with(baseSpec, axes.get(0).key(), v0));
            else for (String v1 : axes.get(1).values()) out.add(with(with(baseSpec, axes.get(0).key(), v0), axes.get(1).key(), v1));
        }
        for (String s : out) Methods.byName(s); // a value the method refuses fails before anything runs
        return out;
    }

    private static String with(String spec, String key, String value) { return spec + (spec.contains(":") ? "," : ":") + key + "=" + value; }

    /**
     * Runs the grid on the validation benchmark carved from bench and writes grid.json and grid.md into
     * dir. base gives everything but the method's grid options (its seed is replaced by seeds). extra is
     * what the caller records of every run (which CLIP_0, the data), written into each point's
     * config.json and into grid.json beside the validation rule, so that a grid says which CLIP_0 it
     * chose on as a single run does.
     */
    public static Outcome run(StudyConfig base, List<Axis> axes, String criterion, List<Long> seeds, Benchmark bench, Clip clip0,
                              ImageTensors images, Path dir, boolean resume, Map<String, Object> extra, SessionListener listener) throws IOException {
        List<String> specs = specs(base.method(), axes);
        if (!resume && Files.isDirectory(dir)) {
            try (var s = Files.list(dir)) {
                if (s.findAny().isPresent()) throw new IOException(dir + " is not empty; choose another folder (grids are never overwritten), or resume it");
            }
        }
        Files.createDirectories(dir);
        Benchmark val = ValidationSplit.benchmark(bench);
        List<Cell> cells = new ArrayList<>();
        for (String spec : specs) {
            StudyConfig c = new StudyConfig(spec, base.protocol(), base.update(), seeds.get(0), base.train(), base.zsItems(), base.mstPerSession(),
                    base.streamPhases(), base.mstOrder(), base.device());
            Map<String, Object> cellExtra = new LinkedHashMap<>(extra);
            cellExtra.put("validation", validationInfo(val));
            listener.info("grid point " + (cells.size() + 1) + " of " + specs.size() + ": " + spec);
            RunResult r = Studies.run(c, seeds, val, clip0, images, dir.resolve("cells").resolve(folderName(spec)), resume, cellExtra, listener, Long.MAX_VALUE);
            if (!r.finalMetrics().containsKey(criterion)) throw new IllegalArgumentException("grid criterion '" + criterion + "' is not a final metric; there are " + r.finalMetrics().keySet());
            Map<String, String> values = new LinkedHashMap<>(MethodOptions.parse(spec).values());
            values.keySet().retainAll(axes.stream().map(Axis::key).toList());
            cells.add(new Cell(spec, values, r.finalMetrics()));
        }
        Outcome o = choose(cells, criterion);
        write(dir, o, base, axes, seeds, val, extra);
        return o;
    }

    /** The cell with the highest criterion value; the earliest on ties; NaN never wins. */
    public static Outcome choose(List<Cell> cells, String criterion) {
        Cell best = null;
        for (Cell c : cells) {
            double v = c.metrics().getOrDefault(criterion, Double.NaN);
            if (!Double.isNaN(v) && (best == null || v > best.metrics().get(criterion))) best = c;
        }
        if (best == null) throw new IllegalStateException("grid: no point has a value of " + criterion);
        return new Outcome(List.copyOf(cells), best, criterion);
    }

    /** A folder name for a spec: "lwf:beta=0.5" -> "lwf_beta-0.5". */
    static String folderName(String spec) { return spec.replace(':', '_').replace('=', '-').replace(',', '_').replace("+", "p"); }

    private static void write(Path dir, Outcome o, StudyConfig base, List<Axis> axes, List<Long> seeds, Benchmark val, Map<String, Object> extra) throws IOException {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("method", base.method());
        j.put("protocol", base.protocol().id());
        j.put("update", base.update().id());
        j.put("seeds", new ArrayList<Object>(seeds));
        Map<String, Object> ax = new LinkedHashMap<>();
        for (Axis a : axes) ax.put(a.key(), new ArrayList<Object>(a.values()));
        j.put("axes", ax);
        j.put("criterion", o.criterion() + " on the validation split, highest wins, ties to the earlier point");
        j.put("validation", validationInfo(val));
        extra.forEach(j::putIfAbsent);
        List<Object> cs = new ArrayList<>();
        for (Cell c : o.cells()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", c.method());
            m.put("values", new LinkedHashMap<>(c.values()));
            Map<String, Object> met = new LinkedHashMap<>();
            c.metrics().forEach((k, v) -> met.put(k, Double.isNaN(v) ? null : v));
            m.put("metrics", met);
            cs.add(m);
        }
        j.put("cells", cs);
        j.put("chosen", o.chosen().method());
        AtomicFiles.write(dir.resolve("grid.json"), (Json.pretty(j) + "\n").getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve("grid.md"), markdown(o, base, axes).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> validationInfo(Benchmark val) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", ValidationSplit.RULE);
        m.put("digits_fit", val.digitsTrain().count());
        m.put("digits_validation", val.digitsTest().count());
        m.put("fashion_validation", val.fashionTest().count());
        return m;
    }

    static String markdown(Outcome o, StudyConfig base, List<Axis> axes) {
        StringBuilder sb = new StringBuilder("# Grid: " + base.method() + " / " + base.protocol().id() + " / " + base.update().id() + "\n\n");
        sb.append("Validation split: ").append(ValidationSplit.RULE).append(", of both training splits; never the test split.\n");
        sb.append("Criterion: ").append(o.criterion()).append(" on validation, highest wins (ties: the earlier point). Chosen: `")
                .append(o.chosen().method()).append("`.\n\n|");
        for (Axis a : axes) sb.append(' ').append(a.key()).append(" |");
        List<String> shown = new ArrayList<>(SHOWN);
        if (!shown.contains(o.criterion())) shown.add(o.criterion());
        for (String k : shown) sb.append(' ').append(k).append(" |");
        sb.append(" chosen |\n|");
        sb.append("---|".repeat(axes.size() + shown.size() + 1)).append('\n');
        for (Cell c : o.cells()) {
            sb.append('|');
            for (Axis a : axes) sb.append(' ').append(c.values().get(a.key())).append(" |");
            for (String k : shown) {
                Double v = c.metrics().get(k);
                sb.append(' ').append(v == null || v.isNaN() ? "-" : String.format(java.util.Locale.ROOT, k.equals("bwt") ? "%.3f" : "%.1f", k.equals("bwt") ? v : 100 * v)).append(" |");
            }
            sb.append(c == o.chosen() ? " **yes** |" : " |").append('\n');
        }
        sb.append("\nAccuracies in percent; bwt as a fraction.\n");
        return sb.toString();
    }
}

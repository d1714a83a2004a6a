package clipcl.continual.study;

import clipcl.continual.protocol.Protocol;
import clipcl.continual.report.ComparisonReport;
import clipcl.continual.report.MetricsJson;
import clipcl.continual.report.MetricsJsonReader;
import clipcl.continual.report.ReportParts;
import clipcl.continual.report.RunResult;
import clipcl.tensor.io.AtomicFiles;
import clipcl.tensor.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The study's report in its folder: {@code metrics.json} (schema 1: the grid, the generated summary and
 * under {@code "cells"} each cell's per-run metrics object, the mean over its finished seeds; a cell
 * that failed carries its {@code "error"} instead), {@code report.md} (summary, cross-protocol table,
 * per-protocol tables in the papers' layout, charts, accuracy matrices, failures) and the PNG charts
 * {@code tradeoff-<protocol>.png} and {@code sessions-<protocol>.png}. Wall times are in report.md and
 * grid.json only: metrics.json depends on the computed values alone, so a study killed and resumed ends
 * with the same bytes.
 */
public final class StudyReport implements GridRunner.Reporter {
    public static final String METRICS = "metrics.json";

    @Override
    public void write(Path studyDir, GridState state) throws IOException {
        write(studyDir, state, cells(studyDir, state));
    }

    /** Every cell of the grid with the mean over its finished seeds, read back from the runs' metrics.json. */
    public static List<CellResult> cells(Path studyDir, GridState state) throws IOException {
        List<CellResult> out = new ArrayList<>();
        for (GridCell c : state.grid().cells()) {
            List<RunResult> rs = new ArrayList<>();
            List<Long> seeds = new ArrayList<>();
            List<Double> walls = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (long seed : state.grid().seeds()) {
                GridRun run = new GridRun(c, seed);
                GridState.Entry e = state.entry(run);
                if (e.status == GridState.Status.DONE && Files.isRegularFile(run.dir(studyDir).resolve(METRICS))) {
                    rs.add(MetricsJsonReader.read(run.dir(studyDir).resolve(METRICS)));
                    seeds.add(seed);
                    walls.add(e.wallSeconds);
                } else if (e.status == GridState.Status.FAILED) {
                    errors.add("seed " + seed + ": " + e.error);
                }
            }
            RunResult mean = rs.isEmpty() ? null : RunResult.meanOverSeeds(rs);
            out.add(new CellResult(c, mean, seeds, errors.isEmpty() ? null : String.join("; ", errors), walls));
        }
        return out;
    }

    static void write(Path dir, GridState state, List<CellResult> cells) throws IOException {
        StudyGrid g = state.grid();
        Map<String, Double> clip0 = null;
        for (CellResult c : cells) if (clip0 == null && c.result() != null) clip0 = c.result().initial();
        List<StudySummary.ProtocolSummary> summaries = new ArrayList<>();
        for (Protocol p : g.protocols()) summaries.add(StudySummary.of(p, cells, clip0 == null ? Double.NaN : clip0.getOrDefault("ut_acc", Double.NaN)));
        List<String> charts = new ArrayList<>();
        for (Protocol p : g.protocols()) {
            for (String kind : List.of("tradeoff", "sessions")) {
                byte[] png = kind.equals("tradeoff") ? StudyCharts.tradeoff(p, cells, clip0) : StudyCharts.sessions(p, cells);
                if (png == null) continue;
                String name = kind + "-" + p.id() + ".png";
                AtomicFiles.write(dir.resolve(name), png);
                charts.add(name);
            }
        }
        AtomicFiles.write(dir.resolve(METRICS), (Json.pretty(metricsTree(g, cells, summaries)) + "\n").getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve("report.md"), StudyMarkdown.text(state, cells, summaries, clip0, charts).getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, Object> metricsTree(StudyGrid g, List<CellResult> cells, List<StudySummary.ProtocolSummary> summaries) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", MetricsJson.SCHEMA);
        root.put("grid", g.toJson());
        List<Object> sum = new ArrayList<>();
        for (StudySummary.ProtocolSummary s : summaries) sum.add(s.toJson());
        root.put("summary", sum);
        List<Object> cs = new ArrayList<>();
        for (CellResult c : cells) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", c.label());
            m.put("cell", c.cell().id());
            if (c.result() != null) {
                m.putAll(Json.parseObject(MetricsJson.text(c.result())));
            } else {
                m.put("method", c.cell().method());
                m.put("protocol", c.protocol().id());
                m.put("update", "wm");
                m.put("seeds", List.of());
            }
            if (c.error() != null) m.put("error", c.error());
            cs.add(m);
        }
        root.put("cells", cs);
        return root;
    }

    /** A cell's wall time: mean (and spread) over its finished seeds, in seconds. */
    static String wall(CellResult c) {
        List<Double> w = c.wallSeconds();
        if (w.isEmpty()) return "-";
        double mean = w.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        if (w.size() == 1) return String.format(Locale.ROOT, "%.0f", mean);
        double ss = 0;
        for (double v : w) ss += (v - mean) * (v - mean);
        return String.format(Locale.ROOT, "%.0f ± %.0f", mean, Math.sqrt(ss / (w.size() - 1)));
    }

    /** The per-protocol table in the papers' layout (the comparison report's), over the cells that finished. */
    static String protocolTable(Protocol p, List<CellResult> cells) {
        List<RunResult> rs = new ArrayList<>();
        for (CellResult c : cells) if (c.protocol() == p && c.result() != null) rs.add(c.result());
        return rs.isEmpty() ? "No cell of this protocol finished.\n" : ComparisonReport.markdown(rs);
    }

    static String matrices(CellResult c) {
        return ReportParts.matrices(c.result(), "####");
    }
}

package clipcl.continual.report;

import clipcl.tensor.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run folder's reports: {@code metrics.json} (the contract scripts read), {@code report.md}
 * (paper-style tables and the accuracy matrix) and PNG charts. Every file is written atomically, so a
 * run killed mid-write leaves the previous version, never half a file; writing again after a resume
 * replaces them with the same bytes when the values are the same.
 */
public final class RunReport {
    private RunReport() { }

    public static final String METRICS = "metrics.json";

    /** Writes metrics.json only (cheap: after every session). */
    public static void writeMetrics(Path runDir, RunResult r) throws IOException {
        AtomicFiles.write(runDir.resolve(METRICS), MetricsJson.text(r).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes metrics.json, report.md, the charts ({@code sessions.png}, {@code retrieval.png} (R@1 per
     * session, when measured), {@code accuracy_matrix.png},
     * {@code accuracy_matrix_task_aware.png} when there is one, {@code losses.png} when losses were logged,
     * {@code training.png} when learning rate, gradient norm or logit scale were)
     * and {@code losses.csv}. Returns the names of the files written. If the charts cannot be drawn
     * (no fonts on a bare machine), metrics.json and report.md are still written and the error says
     * what failed.
     */
    public static List<String> write(Path runDir, RunResult result) throws IOException {
        RunResult r = result.withMatrixMetrics();
        List<String> written = new ArrayList<>();
        writeMetrics(runDir, r);
        written.add(METRICS);
        List<String> charts = new ArrayList<>();
        Map<String, byte[]> pngs = new LinkedHashMap<>();
        Throwable chartError = null;
        try {
            pngs.put("sessions.png", Charts.sessionCurves(r));
            pngs.put("retrieval.png", Charts.retrievalCurves(r));
            pngs.put("accuracy_matrix.png", Charts.heatMap(r.accuracy(), ReportMarkdown.taskNames(r), Charts.title(r) + ": accuracy matrix (%)"));
            if (r.taskAware() != null) {
                pngs.put("accuracy_matrix_task_aware.png",
                        Charts.heatMap(r.taskAware(), ReportMarkdown.taskNames(r), Charts.title(r) + ": task-aware accuracy matrix (%)"));
            }
            pngs.put("losses.png", Charts.losses(r));
            pngs.put("training.png", Charts.trainingScalars(r));
        } catch (RuntimeException | LinkageError | java.awt.AWTError e) {
            chartError = e;
        }
        for (Map.Entry<String, byte[]> e : pngs.entrySet()) {
            if (e.getValue() == null) continue;
            AtomicFiles.write(runDir.resolve(e.getKey()), e.getValue());
            charts.add(e.getKey());
        }
        written.addAll(charts);
        if (!r.losses().isEmpty()) {
            AtomicFiles.write(runDir.resolve("losses.csv"), LossCsv.text(r.losses()).getBytes(StandardCharsets.UTF_8));
            written.add("losses.csv");
        }
        AtomicFiles.write(runDir.resolve("report.md"), ReportMarkdown.text(r, charts).getBytes(StandardCharsets.UTF_8));
        written.add("report.md");
        if (chartError != null) {
            throw new IOException("report: wrote " + written + " in " + runDir + " but could not draw the charts (" + chartError + ")", chartError);
        }
        return written;
    }
}

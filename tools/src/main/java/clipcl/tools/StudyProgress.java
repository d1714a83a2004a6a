package clipcl.tools;

import clipcl.continual.study.GridListener;
import clipcl.continual.study.GridProgress;
import clipcl.continual.study.GridRun;
import clipcl.continual.train.SessionListener;

/** The study's one progress display on standard error: a line a run, with runs done, elapsed and time left. */
final class StudyProgress implements GridListener {
    @Override
    public void runStarted(GridRun run, GridProgress p) {
        System.err.printf("clipcl study: [%d/%d] %s / %s, seed %d ...%n", p.done() + p.failed() + 1, p.total(), run.cell().label(), run.cell().protocol().id(), run.seed());
    }

    @Override
    public void runEnded(GridRun run, double wallSeconds, String error, GridProgress p) {
        System.err.printf("clipcl study: %s / %s, seed %d: %s in %.1f s; %s%n", run.cell().label(), run.cell().protocol().id(), run.seed(),
                error == null ? "done" : "FAILED (" + error + ")", wallSeconds, p.line());
    }

    @Override
    public void runSkipped(GridRun run) {
        System.err.println("clipcl study: " + run.id() + " finished before, skipped");
    }

    @Override
    public void info(String line) {
        System.err.println("clipcl study: " + line);
    }

    @Override
    public SessionListener sessions() {
        return new SessionListener() {
            @Override
            public void info(String line) {
                if (line.startsWith("resuming")) System.err.println("clipcl study: " + line);
            }
        };
    }
}

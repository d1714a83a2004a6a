package clipcl.continual.study;

import clipcl.continual.train.SessionListener;

/** Progress of a whole study, for whoever shows it; library code never prints. */
public interface GridListener {
    GridListener NONE = new GridListener() { };

    /** A run starts (or resumes from its checkpoint). */
    default void runStarted(GridRun run, GridProgress p) { }

    /** A run ended: error is null when it succeeded. */
    default void runEnded(GridRun run, double wallSeconds, String error, GridProgress p) { }

    /** A finished run skipped on resume. */
    default void runSkipped(GridRun run) { }

    /** A line of information. */
    default void info(String line) { }

    /** Where the runs' own sessions report (steps, session ends). */
    default SessionListener sessions() { return SessionListener.NONE; }
}

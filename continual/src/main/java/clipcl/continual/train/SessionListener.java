package clipcl.continual.train;

import java.util.Map;

/**
 * Progress of a study, for whoever shows it (the command line draws bars; tests record calls).
 * Library code reports through this and never prints.
 */
public interface SessionListener {
    SessionListener NONE = new SessionListener() { };

    /** A session starts (or resumes at step {@code from}). */
    default void sessionStarted(int session, int sessions, String name, long from, long steps) { }

    /** One step done; terms are the logged loss values of that step. */
    default void step(int session, long step, Map<String, Double> terms) { }

    /** A session ended and was evaluated. */
    default void sessionEnded(int session, Map<String, Double> metrics) { }

    /** A line of information (data installed, model cached, resumed from ...). */
    default void info(String line) { }
}

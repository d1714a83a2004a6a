package clipcl.continual.protocol;

import clipcl.continual.data.LabeledImages;
import clipcl.continual.data.SessionPlan;
import java.util.Locale;

/**
 * How the new data arrives: OST (paper A: every class in one session), MST (paper A: k classes a
 * session, in class order unless an order is given), stream (paper B: N uniformly random phases).
 */
public enum Protocol {
    OST, MST, STREAM;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    /**
     * @param order       MST class order (null = 0, 1, 2, ...)
     * @param perSession  MST classes a session
     * @param phases      stream phases
     */
    public SessionPlan plan(LabeledImages train, int[] order, int perSession, int phases, long seed) {
        return switch (this) {
            case OST -> SessionPlan.ost(train);
            case MST -> SessionPlan.mst(train, order == null ? identity(train.numClasses()) : order, perSession);
            case STREAM -> SessionPlan.stream(train, phases, seed);
        };
    }

    /** The base objective paper A (OST, MST) and paper B (stream) train with. */
    public String defaultObjective() { return this == STREAM ? "contrastive" : "class_ce"; }

    public static Protocol parse(String s) {
        for (Protocol p : values()) if (p.id().equalsIgnoreCase(s)) return p;
        throw new IllegalArgumentException("protocol '" + s + "': expected ost, mst or stream");
    }

    private static int[] identity(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }
}

package clipcl.continual.data;

import clipcl.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a labelled training set is cut into sessions: by class lists (paper A: OST is one session of
 * every class, MST k classes a session in a given order) or uniformly at random into N phases of
 * the same size (paper B's stream, where each phase holds every class). {@link #tasks} says what the
 * accuracy matrix's columns are: the sessions' class lists, or for a stream the whole class set once.
 *
 * @param kind     "ost", "mst", "stream" or "joint"
 * @param sessions in training order
 * @param tasks    the class list of each evaluation task (columns of the accuracy matrix)
 */
public record SessionPlan(String kind, List<Session> sessions, List<int[]> tasks) {
    public SessionPlan {
        sessions = List.copyOf(sessions);
        tasks = List.copyOf(tasks);
        if (sessions.isEmpty()) throw new IllegalArgumentException("session plan '" + kind + "' has no sessions");
    }

    /** One session per class list, in order; the tasks are the same class lists. */
    public static SessionPlan byClasses(String kind, LabeledImages train, List<int[]> classLists) {
        boolean[] seen = new boolean[train.numClasses()];
        List<Session> out = new ArrayList<>();
        for (int s = 0; s < classLists.size(); s++) {
            int[] cls = classLists.get(s).clone();
            Arrays.sort(cls);
            for (int c : cls) {
                if (c < 0 || c >= seen.length) throw new IllegalArgumentException(kind + ": class " + c + " of session " + s + " is not one of " + train.name() + "'s " + seen.length + " classes");
                if (seen[c]) throw new IllegalArgumentException(kind + ": class " + c + " appears in two sessions");
                seen[c] = true;
            }
            out.add(new Session(s, names(train, cls), cls, train.itemsOf(cls)));
        }
        return new SessionPlan(kind, out, out.stream().map(Session::classes).toList());
    }

    /** OST: every class in one session. */
    public static SessionPlan ost(LabeledImages train) {
        return byClasses("ost", train, List.of(range(train.numClasses())));
    }

    /** MST: classes in the given order, k a session (the last may be smaller). */
    public static SessionPlan mst(LabeledImages train, int[] order, int perSession) {
        if (perSession <= 0) throw new IllegalArgumentException("mst: classes per session must be positive, got " + perSession);
        List<int[]> lists = new ArrayList<>();
        for (int at = 0; at < order.length; at += perSession) lists.add(Arrays.copyOfRange(order, at, Math.min(order.length, at + perSession)));
        return byClasses("mst", train, lists);
    }

    /**
     * Stream: the items in a seeded uniform random order cut into phases of equal size (the remainder
     * spread over the first phases). One evaluation task: every class.
     */
    public static SessionPlan stream(LabeledImages train, int phases, long seed) {
        if (phases <= 0 || phases > train.count()) throw new IllegalArgumentException("stream: " + phases + " phases for " + train.count() + " items");
        int[] perm = new Rng(seed * 7_919L + 11).permutation(train.count());
        List<Session> out = new ArrayList<>();
        int at = 0;
        for (int p = 0; p < phases; p++) {
            int len = train.count() / phases + (p < train.count() % phases ? 1 : 0);
            int[] items = Arrays.copyOfRange(perm, at, at + len);
            Arrays.sort(items);
            out.add(new Session(p, "phase " + (p + 1), range(train.numClasses()), items));
            at += len;
        }
        return new SessionPlan("stream", out, List.<int[]>of(range(train.numClasses())));
    }

    /** Joint training: one session over every session's items; the tasks stay those of this plan. */
    public SessionPlan joint() {
        int n = 0;
        for (Session s : sessions) n += s.items().length;
        int[] all = new int[n];
        int at = 0;
        for (Session s : sessions) { System.arraycopy(s.items(), 0, all, at, s.items().length); at += s.items().length; }
        Arrays.sort(all);
        int[] cls = sessions.stream().flatMapToInt(s -> Arrays.stream(s.classes())).distinct().sorted().toArray();
        return new SessionPlan(kind, List.of(new Session(0, "joint (" + sessions.size() + " sessions together)", cls, all)), tasks);
    }

    /** The classes of sessions 0..s together (sorted). */
    public int[] seenClasses(int s) {
        return sessions.subList(0, s + 1).stream().flatMapToInt(x -> Arrays.stream(x.classes())).distinct().sorted().toArray();
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    private static String names(LabeledImages train, int[] cls) {
        StringBuilder sb = new StringBuilder();
        for (int c : cls) sb.append(sb.isEmpty() ? "" : ", ").append(train.classNames().get(c));
        return sb.toString();
    }
}

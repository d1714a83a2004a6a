package clipcl.autograd;

/**
 * Whether operations on this thread record a graph. Recording is on by default; inside a
 * {@link #noGrad()} scope nothing is recorded and outputs need no gradient (evaluation, the frozen
 * teacher's forward, optimizer arithmetic on parameters).
 *
 * <pre>
 * try (var g = Grad.noGrad()) {
 *     Var logits = model.forward(x);     // no graph, nothing saved for backward
 * }
 * </pre>
 */
public final class Grad {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private Grad() { }

    /** True when operations on this thread record the graph. */
    public static boolean isEnabled() { return ENABLED.get()[0]; }

    /** Turns recording off until the returned scope is closed (scopes nest). */
    public static Mode noGrad() { return set(false); }

    /** Turns recording on until the returned scope is closed (inside a noGrad scope, for example). */
    public static Mode enableGrad() { return set(true); }

    private static Mode set(boolean on) {
        boolean[] flag = ENABLED.get();
        Mode m = new Mode(flag, flag[0]);
        flag[0] = on;
        return m;
    }

    /** Restores the previous recording state when closed. */
    public static final class Mode implements AutoCloseable {
        private final boolean[] flag;
        private final boolean previous;
        private final Thread thread = Thread.currentThread();
        private boolean closed;

        private Mode(boolean[] flag, boolean previous) {
            this.flag = flag;
            this.previous = previous;
        }

        @Override
        public void close() {
            if (closed) return;
            if (Thread.currentThread() != thread) throw new IllegalStateException("Grad mode closed on another thread than it was opened on");
            closed = true;
            flag[0] = previous;
        }
    }
}

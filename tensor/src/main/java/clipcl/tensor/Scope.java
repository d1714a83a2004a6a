package clipcl.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic lifetime for tensors. Every tensor created on a thread while a scope is open there
 * belongs to the innermost scope, and is closed when that scope closes, unless it was handed out
 * with {@link #keep}. Tensors made outside any scope (weights, long-lived state) are closed by hand
 * or left to the garbage collector. The same scopes release device memory.
 *
 * <pre>
 * try (Scope s = Scope.open()) {
 *     Tensor y = x.matmul(w).add(b).relu();   // intermediates die with the scope
 *     return s.keep(y);                        // y survives, owned by the enclosing scope
 * }
 * </pre>
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<ArrayDeque<Scope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private final List<Tensor> owned = new ArrayList<>();
    private final Thread thread = Thread.currentThread();
    private boolean closed;

    private Scope() { }

    public static Scope open() {
        Scope s = new Scope();
        STACK.get().push(s);
        return s;
    }

    static void register(Tensor t) {
        Scope s = STACK.get().peek();
        if (s != null) s.owned.add(t);
    }

    /** Takes t out of this scope and gives it to the enclosing one (or to nobody). */
    public Tensor keep(Tensor t) {
        if (owned.remove(t)) {
            ArrayDeque<Scope> st = STACK.get();
            boolean passed = false;
            for (Scope outer : st) {
                if (outer != this && passed) { outer.owned.add(t); break; }
                if (outer == this) passed = true;
            }
        }
        return t;
    }

    /** Takes t out of every scope: the caller owns it now. */
    public static Tensor detach(Tensor t) {
        for (Scope s : STACK.get()) s.owned.remove(t);
        return t;
    }

    /** Number of tensors this scope will close. */
    public int size() { return owned.size(); }

    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != thread) throw new IllegalStateException("scope closed on another thread than it was opened on");
        ArrayDeque<Scope> st = STACK.get();
        if (st.peek() != this) throw new IllegalStateException("scopes must be closed innermost first");
        st.pop();
        closed = true;
        for (Tensor t : owned) t.close();
        owned.clear();
    }
}

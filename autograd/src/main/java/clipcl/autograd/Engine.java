package clipcl.autograd;

import clipcl.tensor.Scope;
import clipcl.tensor.Storage;
import clipcl.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;

/**
 * Reverse-mode backward: topological order from the root, one backward per node, gradients summed
 * where a value fed several ops, accumulated into leaves that require a gradient. Each node's saved
 * tensors and incoming gradient are closed right after its backward has run, so memory falls as
 * backward proceeds; at the end the graph is unlinked and cannot be run again.
 */
final class Engine {
    private Engine() { }

    static void backward(Var root, Tensor seed) {
        if (!seed.shape().equals(root.data().shape())) {
            throw new IllegalArgumentException("backward: gradient " + seed.shape() + " does not match the output's shape " + root.data().shape());
        }
        if (!seed.device().equals(root.data().device())) {
            throw new IllegalArgumentException("backward: gradient on " + seed.device() + " for an output on " + root.data().device());
        }
        Function rootFn = root.gradFn();
        if (rootFn == null) {
            if (!root.requiresGrad()) throw new IllegalStateException("backward: the output " + root.data().shape()
                    + " does not require a gradient (no input requires one, or it was computed inside Grad.noGrad())");
            Set<Storage> taken = Collections.newSetFromMap(new IdentityHashMap<>());
            taken.add(seed.storage());
            try (Scope s = Scope.open()) { accumulateLeaf(root, alias(seed), taken); }
            return;
        }
        List<Var> order = topoOrder(root);
        Map<Var, Tensor> pending = new IdentityHashMap<>();
        Map<Var, Tensor> leaves = new LinkedHashMap<>();
        // Pending gradients the engine allocated itself (sums, zero-filled buffers of view ops):
        // contiguous and referenced by nothing else, so later contributions are added in place.
        Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        try (Scope scope = Scope.open()) {
            pending.put(root, alias(seed));
            for (Var v : order) {
                Tensor g = pending.remove(v);
                Function f = v.gradFn();
                if (g == null) { // nothing flowed here (e.g. an unused branch of a shared node)
                    f.release();
                    f.dropInputs();
                    continue;
                }
                if (v.retainsGrad()) v.accumulateGrad(g);
                Var[] in = f.inputArray();
                if (in.length == 1 && f.needs(0)) {
                    // A view op (narrow, select) can add its gradient into a region of the buffer
                    // another view of the same input already started: no zeros, no full-size sum.
                    Map<Var, Tensor> into = in[0].gradFn() != null ? pending : leaves;
                    Tensor prev = into.get(in[0]);
                    if (prev != null && owned.contains(prev) && f.addGradInto(g, prev)) {
                        g.close();
                        f.release();
                        f.dropInputs();
                        continue;
                    }
                }
                Tensor[] gs;
                try {
                    gs = f.backward(g);
                } catch (RuntimeException e) {
                    throw new IllegalStateException("backward of " + f.name() + " failed: " + e.getMessage(), e);
                }
                if (gs.length != in.length) throw new IllegalStateException(f.name() + ".backward returned " + gs.length + " gradients for " + in.length + " inputs");
                // Each gradient must be a distinct tensor object the engine may close independently.
                boolean gReturned = false;
                boolean[] fresh = new boolean[gs.length];
                for (int i = 0; i < gs.length; i++) {
                    if (gs[i] == null) continue;
                    fresh[i] = f.freshGrads();
                    for (int j = 0; j < i; j++) if (gs[j] == gs[i]) { gs[i] = alias(gs[i]); fresh[i] = fresh[j] = false; break; }
                    if (gs[i] == g) {
                        if (gReturned) gs[i] = alias(g);
                        gReturned = true;
                        fresh[i] = false;
                    }
                }
                if (!gReturned) g.close();
                f.release();
                for (int i = 0; i < in.length; i++) {
                    Tensor gi = gs[i];
                    if (gi == null) continue;
                    if (!f.needs(i)) { gi.close(); continue; }
                    Var x = in[i];
                    if (!gi.shape().equals(x.data().shape())) {
                        throw new IllegalStateException(f.name() + ".backward gave gradient " + gi.shape() + " for input " + i + " of shape " + x.data().shape());
                    }
                    Map<Var, Tensor> into = x.gradFn() != null ? pending : leaves;
                    Tensor prev = into.get(x);
                    if (prev == null) {
                        into.put(x, gi);
                        if (fresh[i] && gi.isContiguous()) owned.add(gi);
                    } else if (owned.contains(prev)) {
                        Tensor.addInto(prev, gi);
                        gi.close();
                    } else {
                        Tensor sum = prev.add(gi);
                        owned.add(sum);
                        into.put(x, sum);
                        prev.close();
                        gi.close();
                    }
                }
                f.dropInputs();
            }
            Set<Storage> taken = Collections.newSetFromMap(new IdentityHashMap<>());
            taken.add(seed.storage());
            for (Map.Entry<Var, Tensor> e : leaves.entrySet()) accumulateLeaf(e.getKey(), e.getValue(), taken);
        }
    }

    /** Adds g into the leaf's gradient; the stored gradient is contiguous and shares memory with nothing. */
    private static void accumulateLeaf(Var leaf, Tensor g, Set<Storage> taken) {
        Tensor cur = leaf.grad();
        if (cur != null && !cur.isClosed()) {
            Tensor gc = g.dtype() == cur.dtype() ? g : g.to(cur.dtype());
            Tensor.addInto(cur, gc);
            if (gc != g) gc.close();
            g.close();
            return;
        }
        Tensor own = g;
        boolean exclusive = g.isContiguous() && g.offset() == 0 && g.storage().size() == g.numel()
                && g.dtype() == leaf.data().dtype().computeType() && taken.add(g.storage());
        if (!exclusive) {
            own = g.to(leaf.data().dtype().computeType()).copy();
            g.close();
        }
        leaf.setGrad(Scope.detach(own));
    }

    /** A second reference to t's memory (closing one leaves the other open). */
    static Tensor alias(Tensor t) {
        return Tensor.wrap(t.storage(), t.shape(), t.strides(), t.offset());
    }

    /** Nodes reachable from root, each after every node that consumes it (root first). */
    private static List<Var> topoOrder(Var root) {
        List<Var> post = new ArrayList<>();
        Set<Var> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>(); // {var, next input index}
        stack.push(new Object[] {root, 0});
        seen.add(root);
        checkLive(root);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Var v = (Var) top[0];
            Var[] in = v.gradFn().inputArray();
            int i = (Integer) top[1];
            if (i < in.length) {
                top[1] = i + 1;
                Var p = in[i];
                if (p.gradFn() != null && v.gradFn().needs(i) && seen.add(p)) {
                    checkLive(p);
                    stack.push(new Object[] {p, 0});
                }
            } else {
                stack.pop();
                post.add(v);
            }
        }
        Collections.reverse(post);
        return post;
    }

    private static void checkLive(Var v) {
        Function f = v.gradFn();
        if (f.isReleased() || f.inputArray() == null) {
            throw new IllegalStateException("backward through a graph that was already freed (at " + f.name() + " producing "
                    + v.data().shape() + "): backward frees the graph as it runs; compute the forward again for a second backward");
        }
    }

    /** Releases every node reachable from root without computing gradients. */
    static void free(Var root) {
        ArrayDeque<Var> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Var v = stack.pop();
            Function f = v.gradFn();
            if (f == null || f.inputArray() == null) continue;
            Var[] in = f.inputArray();
            f.release();
            f.dropInputs();
            for (Var p : in) stack.push(p);
        }
    }
}

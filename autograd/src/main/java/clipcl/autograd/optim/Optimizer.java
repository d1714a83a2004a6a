package clipcl.autograd.optim;

import clipcl.autograd.Var;
import clipcl.tensor.DType;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A first-order optimizer over named parameter groups. {@link #step} updates, in place, every
 * parameter that requires a gradient and has one; state is kept per parameter name, so it can be
 * saved as tensors "name.slot" plus a small JSON map and loaded into a freshly built optimizer.
 * Parameters must be contiguous F32 or F64 tensors on any one device; the state lives beside each
 * parameter (same device and dtype) and the update is the backend's kernel (see {@code Training}).
 */
public abstract class Optimizer {
    private final List<ParamGroup> groups;
    private final Map<String, ParamState> state = new LinkedHashMap<>();
    private double lr;

    protected Optimizer(List<ParamGroup> groups, double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException(type() + ": learning rate must be >= 0, got " + lr);
        Set<String> seen = new HashSet<>();
        for (ParamGroup g : groups) {
            for (Map.Entry<String, Var> e : g.params().entrySet()) {
                if (!seen.add(e.getKey())) throw new IllegalArgumentException(type() + ": parameter '" + e.getKey() + "' appears in more than one group");
                DType dt = e.getValue().data().dtype();
                if (dt != DType.F32 && dt != DType.F64) throw new IllegalArgumentException(type() + ": parameter '" + e.getKey() + "' has dtype " + dt + "; only F32 and F64 parameters can be optimised");
            }
        }
        this.groups = List.copyOf(groups);
        this.lr = lr;
    }

    /** Short name stored in checkpoints ("sgd", "adam", "adamw"). */
    public abstract String type();

    /** Slot names of the per-parameter state this optimizer keeps. */
    protected abstract List<String> slotNames(ParamGroup g);

    /** Hyper-parameters, saved beside the state for the record. */
    public abstract Map<String, Object> hyperParameters();

    /**
     * One update of one parameter, in place; s.step was already incremented. p is the parameter's
     * data (contiguous), grad its gradient (same shape and device); the state slots are beside p.
     */
    protected abstract void update(ParamGroup g, double lr, String name, Tensor p, Tensor grad, ParamState s);

    public List<ParamGroup> groups() { return groups; }

    public double lr() { return lr; }

    /** Sets the base learning rate (schedules call this before each step); groups scale it. */
    public void setLr(double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException(type() + ": learning rate must be >= 0, got " + lr);
        this.lr = lr;
    }

    /** Every parameter of every group, by name. */
    public Map<String, Var> params() {
        Map<String, Var> out = new LinkedHashMap<>();
        for (ParamGroup g : groups) out.putAll(g.params());
        return out;
    }

    /** The state of a parameter, or null before its first update. */
    public ParamState state(String name) { return state.get(name); }

    public void step() {
        for (ParamGroup g : groups) {
            double glr = lr * g.lrScale();
            for (Map.Entry<String, Var> e : g.params().entrySet()) {
                Var v = e.getValue();
                Tensor grad = v.grad();
                if (!v.requiresGrad() || grad == null) continue;
                String name = e.getKey();
                Tensor p = v.data();
                if (!p.isContiguous()) throw new IllegalStateException(type() + ": parameter '" + name + "' of shape " + p.shape() + " is not contiguous");
                if (!grad.shape().equals(p.shape())) throw new IllegalStateException(type() + ": gradient of '" + name + "' has shape " + grad.shape() + ", the parameter " + p.shape());
                if (!grad.device().equals(p.device())) throw new IllegalStateException(type() + ": gradient of '" + name + "' is on " + grad.device() + ", the parameter on " + p.device());
                Tensor gc = grad.dtype() == p.dtype() ? grad : grad.to(p.dtype());
                ParamState s = state.get(name);
                if (s == null) {
                    s = new ParamState();
                    for (String slot : slotNames(g)) s.slots.put(slot, Flat.zerosLike(p));
                    state.put(name, s);
                } else {
                    Flat.follow(s, p);
                }
                s.step++;
                update(g, glr, name, p, gc, s);
                if (gc != grad) gc.close();
            }
        }
    }

    /** Clears the gradient of every parameter. */
    public void zeroGrad() {
        for (ParamGroup g : groups) for (Var v : g.params().values()) v.zeroGrad();
    }

    /** The state tensors as "paramName.slot" (live references; copy before changing them). */
    public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((n, s) -> s.slots.forEach((slot, t) -> out.put(n + "." + slot, t)));
        return out;
    }

    /** Type, learning rate, hyper-parameters, groups and per-parameter step counts. */
    public Map<String, Object> stateJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type());
        m.put("lr", lr);
        m.put("hyper", hyperParameters());
        List<Object> gs = new ArrayList<>();
        for (ParamGroup g : groups) {
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("name", g.name());
            gm.put("weight_decay", g.weightDecay());
            gm.put("lr_scale", g.lrScale());
            gm.put("params", new ArrayList<>(g.params().keySet()));
            gs.add(gm);
        }
        m.put("groups", gs);
        Map<String, Object> steps = new LinkedHashMap<>();
        state.forEach((n, s) -> steps.put(n, s.step));
        m.put("steps", steps);
        return m;
    }

    /**
     * Replaces the state with a saved one. Everything is checked before anything changes: the type,
     * that every saved parameter exists here, and that every slot tensor is present with the
     * parameter's shape; extra tensors are reported as unexpected.
     */
    public void loadState(Map<String, Tensor> tensors, Map<String, Object> json) {
        Object t = json.get("type");
        if (!type().equals(t)) throw new IllegalArgumentException("optimizer state is for '" + t + "', this optimizer is '" + type() + "'");
        Map<String, Var> params = params();
        Map<String, ParamGroup> groupOf = new LinkedHashMap<>();
        for (ParamGroup g : groups) for (String n : g.params().keySet()) groupOf.put(n, g);
        Object stepsJson = json.getOrDefault("steps", Map.of());
        if (!(stepsJson instanceof Map<?, ?> sm) || !sm.values().stream().allMatch(x -> x instanceof Long)) {
            throw new IllegalArgumentException("optimizer state: \"steps\" must map parameter names to integers");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> steps = (Map<String, Object>) sm;
        Set<String> unknownParams = new TreeSet<>(), missing = new TreeSet<>(), wrongShape = new TreeSet<>();
        Set<String> used = new HashSet<>();
        for (String n : steps.keySet()) {
            Var v = params.get(n);
            if (v == null) { unknownParams.add(n); continue; }
            for (String slot : slotNames(groupOf.get(n))) {
                String key = n + "." + slot;
                Tensor st = tensors.get(key);
                if (st == null) { missing.add(key); continue; }
                used.add(key);
                if (!st.shape().equals(v.data().shape())) wrongShape.add(key + " " + st.shape() + " (parameter " + v.data().shape() + ")");
            }
        }
        Set<String> unexpected = new TreeSet<>(tensors.keySet());
        unexpected.removeAll(used);
        if (!unknownParams.isEmpty() || !missing.isEmpty() || !wrongShape.isEmpty() || !unexpected.isEmpty()) {
            StringBuilder sb = new StringBuilder("optimizer state does not match this " + type() + " optimizer:");
            if (!unknownParams.isEmpty()) sb.append("\n  state for unknown parameters: ").append(unknownParams);
            if (!missing.isEmpty()) sb.append("\n  missing tensors: ").append(missing);
            if (!wrongShape.isEmpty()) sb.append("\n  wrongly shaped tensors: ").append(wrongShape);
            if (!unexpected.isEmpty()) sb.append("\n  unexpected tensors: ").append(unexpected);
            throw new IllegalArgumentException(sb.toString());
        }
        state.clear();
        for (Map.Entry<String, Object> e : steps.entrySet()) {
            String n = e.getKey();
            ParamState s = new ParamState();
            s.step = ((Number) e.getValue()).longValue();
            DType dt = params.get(n).data().dtype();
            Tensor pd = params.get(n).data();
            for (String slot : slotNames(groupOf.get(n))) s.slots.put(slot, Flat.ownedCopy(tensors.get(n + "." + slot), dt, pd.device()));
            state.put(n, s);
        }
        if (json.get("lr") instanceof Number l) lr = l.doubleValue();
    }

    /** Drops all state (as after construction). */
    public void reset() { state.clear(); }

    /** Names of parameters that have state, for tests. */
    Set<String> stateNames() { return Collections.unmodifiableSet(state.keySet()); }
}

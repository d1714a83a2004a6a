package clipcl.autograd.nn;

import clipcl.autograd.Var;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A node of a model: its own parameters, buffers and child modules, each registered under a local
 * name. Full names join the path with dots exactly as PyTorch's state dict does, so
 * {@code visual.transformer.resblocks.0.attn.in_proj_weight} addresses one tensor.
 *
 * <p>Subclasses keep only configuration (sizes, flags) in their own fields and reach parameters,
 * buffers and children through {@link #param}, {@link #buffer} and {@link #child}: that is what lets
 * {@link #deepCopy} copy any module generically (a frozen teacher is {@code model.deepCopy()}).
 * Parameter and buffer tensors belong to the module, never to an open {@link Scope}.
 */
public abstract class Module implements Cloneable {
    private LinkedHashMap<String, Var> params = new LinkedHashMap<>();
    private LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private Set<String> transientBuffers = new TreeSet<>();
    private LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    /** Own parameter name -> name of the child module that parametrizes it. */
    private LinkedHashMap<String, String> parametrizations = new LinkedHashMap<>();
    private boolean training = true;

    // ---------------------------------------------------------------- registration

    /** Registers a parameter (requires grad) holding init; the module takes ownership of the tensor. */
    protected final Var registerParameter(String name, Tensor init) {
        checkLocalName(name);
        Var v = Var.param(Scope.detach(init));
        params.put(name, v);
        return v;
    }

    /**
     * Registers a buffer: state that is not trained (e.g. an attention mask). Persistent buffers are
     * part of the state dict; transient ones are rebuilt by the constructor, as PyTorch's
     * {@code persistent=False}.
     */
    protected final Tensor registerBuffer(String name, Tensor t, boolean persistent) {
        checkLocalName(name);
        buffers.put(name, Scope.detach(t));
        if (!persistent) transientBuffers.add(name);
        return t;
    }

    protected final <M extends Module> M registerModule(String name, M m) {
        checkLocalName(name);
        if (m == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": child module '" + name + "' is null");
        children.put(name, m);
        return m;
    }

    private void checkLocalName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) throw new IllegalArgumentException(getClass().getSimpleName() + ": bad local name '" + name + "' (non-empty, no dots)");
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' registered twice");
        }
    }

    // ---------------------------------------------------------------- local access

    /** This module's own parameter, as its parametrization makes it when one is installed. */
    protected final Var param(String name) {
        Var v = params.get(name);
        if (v == null) throw new IllegalArgumentException(getClass().getSimpleName() + " has no parameter '" + name + "'");
        return effective(name, v);
    }

    /** This module's own optional parameter, or null (e.g. a Linear without bias); parametrized as {@link #param}. */
    protected final Var paramOrNull(String name) {
        Var v = params.get(name);
        return v == null ? null : effective(name, v);
    }

    private Var effective(String name, Var raw) {
        String child = parametrizations.get(name);
        return child == null ? raw : ((Parametrization) children.get(child)).apply(raw);
    }

    // ---------------------------------------------------------------- parametrizations

    /**
     * Makes the parameter at a full dotted name be used through p: the owning module's forward then
     * sees {@code p.apply(raw)}. p becomes a child module named {@code <param>_parametrization} beside
     * the parameter, so its own parameters appear in the state dict as
     * {@code <owner>.<param>_parametrization.<name>}; the raw parameter keeps its name.
     */
    public final <P extends Module & Parametrization> P parametrize(String fullName, P p) {
        int dot = fullName.lastIndexOf('.');
        Module owner = dot < 0 ? this : module(fullName.substring(0, dot));
        String local = fullName.substring(dot + 1);
        if (!owner.params.containsKey(local)) throw new IllegalArgumentException("parametrize: no parameter '" + fullName + "' in " + getClass().getSimpleName());
        if (owner.parametrizations.containsKey(local)) throw new IllegalArgumentException("parametrize: '" + fullName + "' is already parametrized");
        String child = local + "_parametrization";
        owner.registerModule(child, p);
        owner.parametrizations.put(local, child);
        return p;
    }

    /** Whether the parameter at a full dotted name is parametrized. */
    public final boolean isParametrized(String fullName) {
        int dot = fullName.lastIndexOf('.');
        Module owner = dot < 0 ? this : module(fullName.substring(0, dot));
        return owner.parametrizations.containsKey(fullName.substring(dot + 1));
    }

    /**
     * Removes a parametrization; with bake, the raw parameter first takes the effective value (so
     * the module computes the same afterwards), otherwise it goes back to its raw value.
     */
    public final void removeParametrization(String fullName, boolean bake) {
        int dot = fullName.lastIndexOf('.');
        Module owner = dot < 0 ? this : module(fullName.substring(0, dot));
        String local = fullName.substring(dot + 1);
        String child = owner.parametrizations.get(local);
        if (child == null) throw new IllegalArgumentException("removeParametrization: '" + fullName + "' is not parametrized");
        Var raw = owner.params.get(local);
        if (bake) {
            try (clipcl.autograd.Grad.Mode g = clipcl.autograd.Grad.noGrad(); Scope s = Scope.open()) {
                raw.data().copyFrom(((Parametrization) owner.children.get(child)).apply(raw).data());
            }
        }
        owner.parametrizations.remove(local);
        owner.children.remove(child);
    }

    protected final Tensor buffer(String name) {
        Tensor t = buffers.get(name);
        if (t == null) throw new IllegalArgumentException(getClass().getSimpleName() + " has no buffer '" + name + "'");
        return t;
    }

    @SuppressWarnings("unchecked")
    protected final <M extends Module> M child(String name) {
        Module m = children.get(name);
        if (m == null) throw new IllegalArgumentException(getClass().getSimpleName() + " has no child module '" + name + "'");
        return (M) m;
    }

    /** Child modules in registration order. */
    protected final List<Module> childList() { return new ArrayList<>(children.values()); }

    // ---------------------------------------------------------------- names

    /** Every parameter below this module by full name, in registration (depth-first) order. */
    public final Map<String, Var> namedParameters() {
        Map<String, Var> out = new LinkedHashMap<>();
        collectParams("", out);
        return out;
    }

    /** The parameters that currently require a gradient. */
    public final Map<String, Var> trainableParameters() {
        Map<String, Var> out = new LinkedHashMap<>();
        namedParameters().forEach((n, v) -> { if (v.requiresGrad()) out.put(n, v); });
        return out;
    }

    private void collectParams(String prefix, Map<String, Var> out) {
        params.forEach((n, v) -> out.put(prefix + n, v));
        children.forEach((n, m) -> m.collectParams(prefix + n + ".", out));
    }

    /** Every buffer below this module by full name (persistent and transient). */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectBuffers("", out, false);
        return out;
    }

    private void collectBuffers(String prefix, Map<String, Tensor> out, boolean persistentOnly) {
        buffers.forEach((n, t) -> { if (!persistentOnly || !transientBuffers.contains(n)) out.put(prefix + n, t); });
        children.forEach((n, m) -> m.collectBuffers(prefix + n + ".", out, persistentOnly));
    }

    /** This module and every module below it, by full name ("" for this one). */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String name, Map<String, Module> out) {
        out.put(name, this);
        children.forEach((n, m) -> m.collectModules(name.isEmpty() ? n : name + "." + n, out));
    }

    /** The module at a dotted path ("" = this). */
    public final Module module(String path) {
        Module m = this;
        if (path.isEmpty()) return m;
        for (String part : path.split("\\.", -1)) {
            Module c = m.children.get(part);
            if (c == null) throw new IllegalArgumentException("no module '" + path + "' in " + getClass().getSimpleName() + " (stuck at '" + part + "')");
            m = c;
        }
        return m;
    }

    /** The parameter at a full dotted name. */
    public final Var parameter(String name) {
        int dot = name.lastIndexOf('.');
        Module owner = dot < 0 ? this : module(name.substring(0, dot));
        Var v = owner.params.get(name.substring(dot + 1));
        if (v == null) throw new IllegalArgumentException("no parameter '" + name + "' in " + getClass().getSimpleName());
        return v;
    }

    public final long numParameters() {
        long n = 0;
        for (Var v : namedParameters().values()) n += v.data().numel();
        return n;
    }

    // ---------------------------------------------------------------- state dict

    /** Parameter values and persistent buffers by state-dict name (live tensors, not copies). */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedParameters().forEach((n, v) -> out.put(n, v.data()));
        collectBuffers("", out, true);
        return out;
    }

    /** What a non-strict load left out. */
    public record LoadReport(List<String> missing, List<String> unexpected) {
        public boolean clean() { return missing.isEmpty() && unexpected.isEmpty(); }
    }

    /**
     * Copies tensors into this module's parameters and persistent buffers (converting dtype).
     * Wrong shapes always fail; missing or unexpected names fail when strict and are reported
     * otherwise. Nothing is changed when it fails; every offending name is listed.
     */
    public final LoadReport loadStateDict(Map<String, Tensor> sd, boolean strict) {
        Map<String, Tensor> own = stateDict();
        Set<String> missing = new TreeSet<>(own.keySet()), unexpected = new TreeSet<>(sd.keySet());
        missing.removeAll(sd.keySet());
        unexpected.removeAll(own.keySet());
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = sd.get(e.getKey());
            if (src != null && !src.shape().equals(e.getValue().shape())) {
                wrong.add(e.getKey() + ": checkpoint " + src.shape() + ", model " + e.getValue().shape());
            }
        }
        if (!wrong.isEmpty() || (strict && (!missing.isEmpty() || !unexpected.isEmpty()))) {
            StringBuilder sb = new StringBuilder("loadStateDict into " + getClass().getSimpleName() + " failed:");
            if (!missing.isEmpty()) sb.append("\n  missing keys: ").append(missing);
            if (!unexpected.isEmpty()) sb.append("\n  unexpected keys: ").append(unexpected);
            if (!wrong.isEmpty()) sb.append("\n  wrong shapes: ").append(wrong);
            throw new IllegalArgumentException(sb.toString());
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = sd.get(e.getKey());
            if (src != null) e.getValue().copyFrom(src);
        }
        return new LoadReport(List.copyOf(missing), List.copyOf(unexpected));
    }

    // ---------------------------------------------------------------- freezing, modes, gradients

    /** Stops gradients for every parameter whose full name matches (glob, or "re:" + regex); returns the count. */
    public final int freeze(String pattern) { return setRequiresGrad(pattern, false); }

    public final int unfreeze(String pattern) { return setRequiresGrad(pattern, true); }

    public final int setRequiresGrad(String pattern, boolean requires) {
        Predicate<String> m = NamePattern.compile(pattern);
        int n = 0;
        for (Map.Entry<String, Var> e : namedParameters().entrySet()) {
            if (m.test(e.getKey())) {
                e.getValue().setRequiresGrad(requires);
                if (!requires) e.getValue().zeroGrad();
                n++;
            }
        }
        return n;
    }

    /** Sets training mode here and below (dropout-like behaviour would read it). */
    public final Module train(boolean on) {
        for (Module m : namedModules().values()) m.training = on;
        return this;
    }

    public final Module eval() { return train(false); }

    public final boolean isTraining() { return training; }

    /** Clears every parameter's gradient. */
    public final void zeroGrad() {
        for (Var v : namedParameters().values()) v.zeroGrad();
    }

    // ---------------------------------------------------------------- copies

    /**
     * An independent copy: same class, configuration, names, requires-grad flags and mode, with its
     * own copies of every parameter and buffer and no gradients.
     */
    @SuppressWarnings("unchecked")
    public final <M extends Module> M deepCopy() {
        Module c;
        try {
            c = (Module) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
        c.params = new LinkedHashMap<>();
        params.forEach((n, v) -> c.params.put(n, new Var(Scope.detach(v.data().copy()), v.requiresGrad())));
        c.buffers = new LinkedHashMap<>();
        buffers.forEach((n, t) -> c.buffers.put(n, Scope.detach(t.copy())));
        c.transientBuffers = new TreeSet<>(transientBuffers);
        c.children = new LinkedHashMap<>();
        children.forEach((n, m) -> c.children.put(n, m.deepCopy()));
        c.parametrizations = new LinkedHashMap<>(parametrizations);
        return (M) c;
    }

    // ---------------------------------------------------------------- devices

    /**
     * Moves every parameter and buffer of this module and its children to device, in place, as
     * torch's {@code module.to(device)}: the Vars stay the same objects (optimizers built on them
     * keep working; their state follows on the next step), gradients are dropped, and the old
     * tensors are closed. Returns this.
     */
    public final Module to(clipcl.tensor.Device device) {
        for (Module m : namedModules().values()) {
            for (Var v : m.params.values()) {
                Tensor old = v.data();
                if (old.device().equals(device)) continue;
                v.zeroGrad();
                v.setData(Scope.detach(old.to(device)));
                old.close();
            }
            for (Map.Entry<String, Tensor> e : m.buffers.entrySet()) {
                Tensor old = e.getValue();
                if (old.device().equals(device)) continue;
                e.setValue(Scope.detach(old.to(device)));
                old.close();
            }
        }
        return this;
    }

    /** The device of the first parameter (or buffer); the CPU for a module with neither. */
    public final clipcl.tensor.Device device() {
        for (Var v : namedParameters().values()) return v.data().device();
        for (Tensor t : namedBuffers().values()) return t.device();
        return clipcl.tensor.Device.CPU;
    }

    /** Closes every parameter and buffer tensor (the module is unusable afterwards). */
    public final void release() {
        for (Var v : namedParameters().values()) {
            v.zeroGrad();
            v.data().close();
        }
        for (Tensor t : namedBuffers().values()) t.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + numParameters() + " parameters)";
    }

    /** Own parameter names, for subclasses that iterate them. */
    protected final Set<String> localParameterNames() { return Collections.unmodifiableSet(params.keySet()); }
}

package clipcl.continual.train;

import clipcl.autograd.Var;
import clipcl.autograd.nn.Module;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Arithmetic over parameter maps (name -> tensor), the building blocks of weight merging (IMM-mean,
 * WiSE-FT: {@link #lerp}), task vectors ({@link #add}, {@link #scale}), and parameter penalties
 * (EWC: {@link #fisherDistance}; L2 to an anchor: the same with no Fisher). Maps are snapshots owned
 * by the caller (never by an open Scope); every binary operation checks that names and shapes agree
 * and names what does not.
 */
public final class ParamMaps {
    private ParamMaps() { }

    /** Owned copies of the module's parameter values. */
    public static Map<String, Tensor> snapshot(Module m) { return snapshot(m.namedParameters()); }

    public static Map<String, Tensor> snapshot(Map<String, Var> params) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        params.forEach((n, v) -> out.put(n, Scope.detach(v.data().copy())));
        return out;
    }

    /** The map with every tensor on device (those already there kept, the others moved and closed); owned by the caller. */
    public static Map<String, Tensor> onDevice(Map<String, Tensor> m, clipcl.tensor.Device device) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        m.forEach((n, t) -> out.put(n, Scope.detach(Placement.onDevice(t, device))));
        return out;
    }

    /** Writes the values of map into the module's parameters of the same names (all must match). */
    public static void load(Module m, Map<String, Tensor> values) {
        Map<String, Var> p = m.namedParameters();
        check("load", tensors(p), values);
        p.forEach((n, v) -> v.data().copyFrom(values.get(n)));
    }

    /** (1 - alpha) * a + alpha * b. */
    public static Map<String, Tensor> lerp(Map<String, Tensor> a, Map<String, Tensor> b, double alpha) {
        check("lerp", a, b);
        Map<String, Tensor> out = new LinkedHashMap<>();
        a.forEach((n, t) -> out.put(n, own(t.mul(1 - alpha).add(b.get(n).mul(alpha)))));
        return out;
    }

    /** a + b. */
    public static Map<String, Tensor> add(Map<String, Tensor> a, Map<String, Tensor> b) {
        check("add", a, b);
        Map<String, Tensor> out = new LinkedHashMap<>();
        a.forEach((n, t) -> out.put(n, own(t.add(b.get(n)))));
        return out;
    }

    /** a - b (a task vector when a is fine-tuned and b the start). */
    public static Map<String, Tensor> sub(Map<String, Tensor> a, Map<String, Tensor> b) {
        check("sub", a, b);
        Map<String, Tensor> out = new LinkedHashMap<>();
        a.forEach((n, t) -> out.put(n, own(t.sub(b.get(n)))));
        return out;
    }

    /** s * a. */
    public static Map<String, Tensor> scale(Map<String, Tensor> a, double s) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        a.forEach((n, t) -> out.put(n, own(t.mul(s))));
        return out;
    }

    /** Sum over every entry of every tensor of a * b, accumulated in double. */
    public static double dot(Map<String, Tensor> a, Map<String, Tensor> b) {
        check("dot", a, b);
        double s = 0;
        for (Map.Entry<String, Tensor> e : a.entrySet()) {
            double[] x = e.getValue().toDoubleArray(), y = b.get(e.getKey()).toDoubleArray();
            for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        }
        return s;
    }

    /**
     * sum_names sum_i F_i * (theta_i - anchor_i)^2 as a Var differentiable in the parameters, over the
     * names of anchor (a subset of params: frozen towers may be left out). fisher null = 1 everywhere
     * (the L2-anchor penalty).
     */
    public static Var fisherDistance(Map<String, Var> params, Map<String, Tensor> anchor, Map<String, Tensor> fisher) {
        Var total = null;
        for (Map.Entry<String, Tensor> e : anchor.entrySet()) {
            Var p = params.get(e.getKey());
            if (p == null) throw new IllegalArgumentException("fisherDistance: anchor has '" + e.getKey() + "', the model does not");
            if (!p.data().shape().equals(e.getValue().shape())) {
                throw new IllegalArgumentException("fisherDistance: '" + e.getKey() + "' is " + p.data().shape() + " in the model, " + e.getValue().shape() + " in the anchor");
            }
            Var d = p.sub(Var.constant(e.getValue())).square();
            if (fisher != null) {
                Tensor f = fisher.get(e.getKey());
                if (f == null) throw new IllegalArgumentException("fisherDistance: no Fisher values for '" + e.getKey() + "'");
                d = d.mul(Var.constant(f));
            }
            Var s = d.sum();
            total = total == null ? s : total.add(s);
        }
        if (total == null) throw new IllegalArgumentException("fisherDistance: empty anchor");
        return total;
    }

    private static Map<String, Tensor> tensors(Map<String, Var> p) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        p.forEach((n, v) -> out.put(n, v.data()));
        return out;
    }

    private static Tensor own(Tensor t) { return Scope.detach(t.contiguous()); }

    static void check(String op, Map<String, Tensor> x, Map<String, Tensor> y) {
        TreeSet<String> onlyX = new TreeSet<>(x.keySet()), onlyY = new TreeSet<>(y.keySet());
        onlyX.removeAll(y.keySet());
        onlyY.removeAll(x.keySet());
        StringBuilder sb = new StringBuilder();
        if (!onlyX.isEmpty()) sb.append("\n  only in the first: ").append(onlyX);
        if (!onlyY.isEmpty()) sb.append("\n  only in the second: ").append(onlyY);
        for (Map.Entry<String, Tensor> e : x.entrySet()) {
            Tensor o = y.get(e.getKey());
            if (o != null && !o.shape().equals(e.getValue().shape())) sb.append("\n  shape of ").append(e.getKey()).append(": ").append(e.getValue().shape()).append(" vs ").append(o.shape());
        }
        if (!sb.isEmpty()) throw new IllegalArgumentException(op + ": parameter maps do not match:" + sb);
    }
}

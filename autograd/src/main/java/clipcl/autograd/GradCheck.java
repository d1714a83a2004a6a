package clipcl.autograd;

import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks backward against central finite differences. The output is projected on a fixed random
 * direction w (L = sum(f(x) * w)), so one backward with gradient w gives dL/dx for every input,
 * and each input element is perturbed by +-eps to estimate the same derivative numerically.
 * Meant for F64 inputs (the float64 reference path), where eps = 1e-6 leaves errors near 1e-9.
 * Inputs may be views (transposed, narrowed): perturbations write through the view.
 */
public final class GradCheck {
    /** The function under test: inputs (in the order given) to one output. */
    @FunctionalInterface
    public interface Fn {
        Var apply(List<Var> inputs);
    }

    /** Largest errors seen; passed is false when some element exceeded atol + rtol |numeric|. */
    public record Result(boolean passed, double maxAbsError, double maxRelError, String worst, Set<Class<? extends Function>> primitives) { }

    private GradCheck() { }

    /** Checks with eps 1e-6, atol 1e-6, rtol 1e-5; throws AssertionError naming the worst element. */
    public static Result check(String name, Fn f, List<Var> inputs) {
        Result r = run(f, inputs, 1e-6, 1e-6, 1e-5, 1234);
        if (!r.passed()) throw new AssertionError("gradient check failed for " + name + ": " + r.worst()
                + " (max abs error " + r.maxAbsError() + ", max rel error " + r.maxRelError() + ")");
        return r;
    }

    /** Runs the check and reports; does not throw on mismatch. */
    public static Result run(Fn f, List<Var> inputs, double eps, double atol, double rtol, long seed) {
        for (Var v : inputs) if (v.requiresGrad()) v.zeroGrad();
        Tensor w;
        Set<Class<? extends Function>> prims;
        try (Scope s = Scope.open()) {
            Var out = f.apply(inputs);
            prims = primitives(out);
            w = Scope.detach(new Rng(seed).normal(DType.F64, 0, 1, out.dims()));
            if (out.requiresGrad()) out.backward(w);
        }
        double maxAbs = 0, maxRel = 0;
        String worst = "all elements within tolerance";
        double worstRatio = 0;
        boolean ok = true;
        try (Tensor wc = w) {
            for (int k = 0; k < inputs.size(); k++) {
                Var v = inputs.get(k);
                if (!v.requiresGrad()) continue;
                Tensor x = v.data();
                Tensor ga = v.grad();
                for (int i = 0; i < x.numel(); i++) {
                    double orig = x.getFlat(i);
                    x.setFlat(i, orig + eps);
                    double fp = project(f, inputs, wc);
                    x.setFlat(i, orig - eps);
                    double fm = project(f, inputs, wc);
                    x.setFlat(i, orig);
                    double num = (fp - fm) / (2 * eps);
                    double ana = ga == null ? 0.0 : ga.getFlat(i);
                    double err = Math.abs(ana - num);
                    double rel = err / Math.max(1e-12, Math.abs(num));
                    double ratio = err / (atol + rtol * Math.abs(num));
                    if (!(ratio <= worstRatio)) { // also catches NaN
                        worstRatio = ratio;
                        worst = "input " + k + " " + x.shape() + " element " + i + ": analytic " + ana + ", numeric " + num;
                    }
                    if (!(ratio <= 1)) ok = false;
                    maxAbs = Math.max(maxAbs, err);
                    if (Math.abs(num) > atol) maxRel = Math.max(maxRel, rel);
                }
            }
        }
        return new Result(ok, maxAbs, maxRel, worst, prims);
    }

    private static double project(Fn f, List<Var> inputs, Tensor w) {
        try (Scope s = Scope.open(); Grad.Mode g = Grad.noGrad()) {
            Var out = f.apply(inputs);
            double[] o = out.data().toDoubleArray(), wv = w.toDoubleArray();
            double acc = 0;
            for (int i = 0; i < o.length; i++) acc += o[i] * wv[i];
            return acc;
        }
    }

    /** The primitive classes in the graph behind out (before backward frees it). */
    public static Set<Class<? extends Function>> primitives(Var out) {
        Set<Class<? extends Function>> classes = new LinkedHashSet<>();
        Set<Var> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Var> stack = new ArrayDeque<>();
        stack.push(out);
        while (!stack.isEmpty()) {
            Var v = stack.pop();
            if (!seen.add(v) || v.gradFn() == null) continue;
            classes.add(v.gradFn().getClass());
            for (Var p : v.gradFn().inputs()) stack.push(p);
        }
        return classes;
    }
}

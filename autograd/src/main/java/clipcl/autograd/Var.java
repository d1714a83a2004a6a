package clipcl.autograd;

import clipcl.tensor.Tensor;

/**
 * A tensor in the autograd graph: its value, the gradient accumulated into it by backward, and the
 * node that produced it (null for leaves). Parameters are leaves with requiresGrad set.
 * (Skeleton: the graph and the operations are added by the autograd work.)
 */
public final class Var {
    private Tensor data;
    private Tensor grad;
    private boolean requiresGrad;

    public Var(Tensor data, boolean requiresGrad) {
        this.data = data;
        this.requiresGrad = requiresGrad;
    }

    /** A leaf that needs no gradient (inputs, constants). */
    public static Var constant(Tensor t) { return new Var(t, false); }

    /** A leaf that accumulates a gradient (a parameter). */
    public static Var param(Tensor t) { return new Var(t, true); }

    public Tensor data() { return data; }

    /** Replaces the value in place of the graph (optimizer steps, loading weights); the shape must stay. */
    public void setData(Tensor t) {
        if (!t.shape().equals(data.shape())) {
            throw new IllegalArgumentException("setData: new value " + t.shape() + " does not match " + data.shape());
        }
        data = t;
    }

    /** The accumulated gradient, or null before any backward reached this variable. */
    public Tensor grad() { return grad; }

    public void setGrad(Tensor g) { grad = g; }

    public void zeroGrad() {
        if (grad != null) grad.close();
        grad = null;
    }

    public boolean requiresGrad() { return requiresGrad; }

    public void setRequiresGrad(boolean r) { requiresGrad = r; }
}

package clipcl.autograd.optim;

import clipcl.autograd.Var;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;

/**
 * Gradient clipping by the global L2 norm over many parameters, as torch.nn.utils.clip_grad_norm_.
 * The norm and the scaling stay on the gradients' device ({@link #clipGlobalNormTensor}); the
 * double-returning forms read the norm back (one transfer when the gradients are not on the CPU).
 */
public final class GradClip {
    private GradClip() { }

    /** The L2 norm over every gradient (parameters without one count as zero). */
    public static double globalNorm(Iterable<Var> params) {
        try (Tensor n = globalNormTensor(params)) {
            return n == null ? 0.0 : n.item();
        }
    }

    /** The global norm as a scalar on the gradients' device, or null when no parameter has a gradient. */
    public static Tensor globalNormTensor(Iterable<Var> params) {
        Tensor ss = null;
        try (Scope s = Scope.open()) {
            for (Var v : params) {
                Tensor g = v.grad();
                if (g == null) continue;
                Tensor sq = Training.sumSquares(g);
                ss = ss == null ? sq : ss.add(sq);
            }
            if (ss == null) return null;
            return s.keep(ss.sqrt());
        }
    }

    /**
     * Scales every gradient by min(1, maxNorm / (norm + 1e-6)) in place and returns the norm before
     * clipping. A non-finite norm is returned as is and the gradients are left alone, so the caller
     * can see the overflow and skip the step.
     */
    public static double clipGlobalNorm(Iterable<Var> params, double maxNorm) {
        try (Tensor n = clipGlobalNormTensor(params, maxNorm)) {
            return n == null ? 0.0 : n.item();
        }
    }

    /**
     * {@link #clipGlobalNorm} without reading anything back: the clip coefficient is computed on the
     * device (1 when the norm is within bounds or not finite) and every gradient is multiplied by it,
     * which leaves in-bound gradients bit for bit unchanged. Returns the norm (a device scalar), or
     * null when no parameter has a gradient.
     */
    public static Tensor clipGlobalNormTensor(Iterable<Var> params, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("clipGlobalNorm: maxNorm must be > 0, got " + maxNorm);
        Tensor norm = globalNormTensor(params);
        if (norm == null) return null;
        try (Scope s = Scope.open()) {
            Tensor raw = Tensor.scalarLike(norm, maxNorm).div(norm.add(1e-6));
            Tensor finite = norm.sub(norm).eq(0);                            // false for inf and NaN
            Tensor coef = Tensor.where(finite, raw.minimum(Tensor.scalarLike(norm, 1)), Tensor.scalarLike(norm, 1));
            for (Var v : params) {
                Tensor g = v.grad();
                if (g == null) continue;
                Tensor scaled = g.mul(coef);
                g.copyFrom(scaled);
            }
        }
        return norm;
    }
}

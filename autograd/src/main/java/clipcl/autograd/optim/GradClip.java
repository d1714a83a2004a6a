package clipcl.autograd.optim;

import clipcl.autograd.Var;
import clipcl.tensor.DType;
import clipcl.tensor.Tensor;

/** Gradient clipping by the global L2 norm over many parameters, as torch.nn.utils.clip_grad_norm_. */
public final class GradClip {
    private GradClip() { }

    /** The L2 norm over every gradient (parameters without one count as zero), summed in double. */
    public static double globalNorm(Iterable<Var> params) {
        double ss = 0;
        for (Var v : params) {
            Tensor g = v.grad();
            if (g == null) continue;
            if (Flat.direct(g) && g.dtype() == DType.F32) ss += UpdateKernels.sumSquares(Flat.f32(g), g.offset(), g.offset() + g.numel());
            else if (Flat.direct(g) && g.dtype() == DType.F64) ss += UpdateKernels.sumSquares(Flat.f64(g), g.offset(), g.offset() + g.numel());
            else {
                double[] a = g.toDoubleArray();
                ss += UpdateKernels.sumSquares(a, 0, a.length);
            }
        }
        return Math.sqrt(ss);
    }

    /**
     * Scales every gradient by min(1, maxNorm / (norm + 1e-6)) in place and returns the norm before
     * clipping. A non-finite norm is returned as is and the gradients are left alone, so the caller
     * can see the overflow and skip the step.
     */
    public static double clipGlobalNorm(Iterable<Var> params, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("clipGlobalNorm: maxNorm must be > 0, got " + maxNorm);
        double norm = globalNorm(params);
        if (!Double.isFinite(norm)) return norm;
        double coef = maxNorm / (norm + 1e-6);
        if (coef >= 1) return norm;
        for (Var v : params) {
            Tensor g = v.grad();
            if (g == null) continue;
            if (Flat.direct(g) && g.dtype() == DType.F32) {
                UpdateKernels.scale(Flat.f32(g), g.offset(), g.offset() + g.numel(), (float) coef);
            } else if (Flat.direct(g) && g.dtype() == DType.F64) {
                double[] a = Flat.f64(g);
                for (int i = g.offset(), e = g.offset() + g.numel(); i < e; i++) a[i] *= coef;
            } else {
                v.setGrad(g.mul(coef));
            }
        }
        return norm;
    }
}

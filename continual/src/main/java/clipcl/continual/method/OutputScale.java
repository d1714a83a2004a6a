package clipcl.continual.method;

import clipcl.autograd.Var;
import clipcl.autograd.nn.Module;
import clipcl.autograd.nn.Parametrization;
import clipcl.tensor.DType;
import clipcl.tensor.Tensor;

/**
 * A learnable per-output scale s (init ones) on a Linear's weight, W -> diag(s) W, so the layer's
 * output becomes s * (W x) (RKR's scaling factor). The same s may also scale the layer's bias through
 * {@link #forBias}, which makes the whole output s * (W x + b) without a second trained vector.
 */
final class OutputScale extends Module implements Parametrization {
    private final Var scale;

    OutputScale(int outputs, DType dtype, clipcl.tensor.Device device) {
        scale = registerParameter("scale", Tensor.full(1.0, dtype, device, outputs));
    }

    @Override
    public Var apply(Var raw) {
        return raw.rank() == 1 ? raw.mul(scale) : raw.mul(scale.unsqueeze(1));  // [out] or [out, in]
    }

    /** Applies this scale to a bias [out]; it registers no parameter of its own (the scale is trained once). */
    Bias forBias() { return new Bias(this); }

    static final class Bias extends Module implements Parametrization {
        private final OutputScale owner;

        Bias(OutputScale owner) { this.owner = owner; }

        @Override
        public Var apply(Var raw) { return raw.mul(owner.scale); }
    }
}

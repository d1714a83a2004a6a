package clipcl.continual.method;

import clipcl.autograd.Var;
import clipcl.autograd.nn.Module;
import clipcl.autograd.nn.Parametrization;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;

/**
 * RKR's rectifier as the authors' code builds it: a rank-r update and a per-output scale on a Linear's
 * weight, W -> diag(s) (W + B A), with B [out, r] zeros and A [r, in] small random (so the layer starts
 * exactly as it was, LoRA-style) and s ones.
 */
final class LowRankRectifier extends Module implements Parametrization {
    private final Var a, b, scale;

    LowRankRectifier(int outputs, int inputs, int rank, DType dtype, clipcl.tensor.Device device, Rng rng) {
        // drawn on the host, so a seed gives the same rectifier on every device
        a = registerParameter("a", clipcl.continual.train.Placement.onDevice(rng.normal(dtype, 0, 1.0 / Math.sqrt(inputs), rank, inputs), device));
        b = registerParameter("b", Tensor.zeros(dtype, device, outputs, rank));
        scale = registerParameter("scale", Tensor.full(1.0, dtype, device, outputs));
    }

    @Override
    public Var apply(Var raw) {
        return raw.add(b.matmul(a)).mul(scale.unsqueeze(1));                     // [out, in]
    }
}

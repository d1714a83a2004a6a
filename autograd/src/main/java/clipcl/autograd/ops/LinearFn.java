package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;

/**
 * y = x W^T + b for x [..,K], W [N,K] (PyTorch's layout), b [N] or null. Backward writes dW [N,K]
 * directly in W's layout as one GEMM over the flattened batch, g_flat^T x_flat, so a weight's
 * gradient needs no transpose copy; db is a column sum of g; dx = g W.
 */
public final class LinearFn extends Function {
    private Tensor x, w;
    private boolean hasBias;

    public static Var apply(Var x, Var weight, Var bias) {
        String what = "linear of input " + x.shape() + " and weight " + weight.shape();
        if (weight.rank() != 2) throw new IllegalArgumentException(what + ": weight must be [out, in]");
        if (x.rank() < 1 || x.dim(-1) != weight.dim(1)) throw new IllegalArgumentException(what + ": input's last dimension must be " + weight.dim(1));
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != weight.dim(0))) throw new IllegalArgumentException(what + ": bias " + bias.shape() + " must be [" + weight.dim(0) + "]");
        LinearFn f = new LinearFn();
        if (bias == null) f.connect(x, weight);
        else f.connect(x, weight, bias);
        f.hasBias = bias != null;
        Tensor y = forward(x.data(), weight.data(), bias == null ? null : bias.data());
        if (f.needsGrad(0)) f.w = f.save(weight.data());
        if (f.needsGrad(1)) f.x = f.save(x.data());
        return f.output(y);
    }

    /** The forward on tensors: the backend's linear kernel (a fused SGEMM with bias where it has one). */
    static Tensor forward(Tensor x, Tensor w, Tensor b) { return Training.linear(x, w, b); }

    @Override
    protected Tensor[] backward(Tensor g) {
        int n = g.dim(-1);
        Tensor[] out = new Tensor[hasBias ? 3 : 2];
        if (needsGrad(0)) out[0] = g.matmul(w);                                      // [..,K]
        try (Tensor gf = g.reshape(-1, n)) {
            if (needsGrad(1)) {
                try (Tensor xf = x.reshape(-1, x.dim(-1)); Tensor gft = gf.mT()) { out[1] = gft.matmul(xf); } // [N,K]
            }
            if (out.length > 2 && needsGrad(2)) out[2] = gf.sum(0, false);           // [N]
        }
        return out;
    }
}

package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;

/**
 * LayerNorm over the last dimension, fused. The forward is the backend's kernel; backward saves x,
 * the weight and, where the backend keeps them (the GPU), each row's mean and 1/std, and asks the
 * backend for dx, dweight and dbias in one pass (the CPU recomputes the statistics there: one extra
 * read of a row already being read).
 */
public final class LayerNormFn extends Function {
    private Tensor x, w, mean, rstd;
    private boolean hasW, hasB;
    private double eps;

    public static Var apply(Var x, Var weight, Var bias, double eps) {
        LayerNormFn f = new LayerNormFn();
        f.connectPresent(x, weight, bias);
        f.hasW = weight != null;
        f.hasB = bias != null;
        f.eps = eps;
        Tensor[] r = Training.layerNormForward(x.data(), weight == null ? null : weight.data(), bias == null ? null : bias.data(), eps);
        if (f.needsGrad(0) || (f.hasW && f.needsGrad(1))) f.x = f.save(x.data());
        if (f.hasW && f.needsGrad(0)) f.w = f.save(weight.data());
        if (r[1] != null) {
            if (f.x != null) {                  // statistics the backend kept (the GPU): backward need not recompute them
                f.mean = f.own(r[1]);
                f.rstd = f.own(r[2]);
            } else {
                r[1].close();
                r[2].close();
            }
        }
        return f.output(r[0]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        boolean needX = needsGrad(0), needW = hasW && needsGrad(1), needB = hasB && needsGrad(hasW ? 2 : 1);
        Tensor[] d = Training.layerNormBackward(g, x, w, eps, mean, rstd, needX, needW, needB);
        if (hasW && hasB) return d;
        if (hasW) return new Tensor[] {d[0], d[1]};
        if (hasB) return new Tensor[] {d[0], d[2]};
        return new Tensor[] {d[0]};
    }
}

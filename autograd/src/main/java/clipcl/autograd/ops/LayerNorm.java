package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;
import java.util.ArrayList;
import java.util.List;

/**
 * LayerNorm over the last dimension, fused. The forward is the backend's kernel; backward saves only
 * x and the weight and asks the backend for dx, dweight and dbias in one pass (the row statistics
 * are recomputed there: one extra read of a row already being read, no [rows] buffers kept).
 */
public final class LayerNorm extends Function {
    private Tensor x, w;
    private boolean hasW, hasB;
    private double eps;

    public static Var apply(Var x, Var weight, Var bias, double eps) {
        LayerNorm f = new LayerNorm();
        List<Var> in = new ArrayList<>(3);
        in.add(x);
        if (weight != null) in.add(weight);
        if (bias != null) in.add(bias);
        f.connect(in.toArray(new Var[0]));
        f.hasW = weight != null;
        f.hasB = bias != null;
        f.eps = eps;
        Tensor out = x.data().layerNorm(weight == null ? null : weight.data(), bias == null ? null : bias.data(), eps);
        if (f.needsGrad(0) || (f.hasW && f.needsGrad(1))) f.x = f.save(x.data());
        if (f.hasW && f.needsGrad(0)) f.w = f.save(weight.data());
        return f.output(out);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        boolean needX = needsGrad(0), needW = hasW && needsGrad(1), needB = hasB && needsGrad(hasW ? 2 : 1);
        Tensor[] d = Training.layerNormBackward(g, x, w, eps, needX, needW, needB);
        if (hasW && hasB) return d;
        if (hasW) return new Tensor[] {d[0], d[1]};
        if (hasB) return new Tensor[] {d[0], d[2]};
        return new Tensor[] {d[0]};
    }
}

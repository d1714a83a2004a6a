package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Conv2d;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;

/**
 * conv2d(x [B,C,H,W], weight [O,C,KH,KW], bias [O] or null, stride, zero padding), groups = 1.
 * Forward and both gradients are im2col products ({@link Conv2d}); backward saves x only when the
 * weight needs a gradient and the weight only when x does, recomputing the columns.
 */
public final class Conv2dFn extends Function {
    private Tensor x, w;
    private Shape xShape, wShape;
    private int stride, padding;
    private boolean hasBias;

    public static Var apply(Var x, Var weight, Var bias, int stride, int padding) {
        Conv2dFn f = new Conv2dFn();
        if (bias == null) f.connect(x, weight);
        else f.connect(x, weight, bias);
        f.hasBias = bias != null;
        f.stride = stride;
        f.padding = padding;
        f.xShape = x.shape();
        f.wShape = weight.shape();
        Tensor out = Conv2d.forward(x.data(), weight.data(), bias == null ? null : bias.data(), stride, padding);
        if (f.needsGrad(1)) f.x = f.save(x.data());
        if (f.needsGrad(0)) f.w = f.save(weight.data());
        return f.output(out);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = needsGrad(0) ? Conv2d.gradInput(g, w, xShape, stride, padding) : null;
        Tensor dw = needsGrad(1) ? Conv2d.gradWeight(g, x, wShape, stride, padding) : null;
        if (!hasBias) return new Tensor[] {dx, dw};
        return new Tensor[] {dx, dw, needsGrad(2) ? g.sum(new int[] {0, 2, 3}, false) : null};
    }
}

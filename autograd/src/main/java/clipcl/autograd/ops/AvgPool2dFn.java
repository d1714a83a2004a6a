package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.AvgPool2d;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;

/** avg_pool2d(x [B,C,H,W], kernel, stride), no padding; backward spreads g / k^2 over each window. */
public final class AvgPool2dFn extends Function {
    private Shape xShape;
    private int kernel, stride;

    public static Var apply(Var x, int kernel, int stride) {
        AvgPool2dFn f = new AvgPool2dFn();
        f.connect(x);
        f.xShape = x.shape();
        f.kernel = kernel;
        f.stride = stride;
        return f.output(AvgPool2d.forward(x.data(), kernel, stride));
    }

    @Override
    protected Tensor[] backward(Tensor g) { return new Tensor[] {AvgPool2d.backward(g, xShape, kernel, stride)}; }
}

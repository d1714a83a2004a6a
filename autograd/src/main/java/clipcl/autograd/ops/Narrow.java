package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;

/** narrow (slice, split) view; backward places g in a zero tensor of the input's shape. */
public final class Narrow extends Function {
    private Shape in;
    private int dim, start, length;

    public static Var apply(Var x, int dim, int start, int length) {
        Narrow f = new Narrow();
        f.connect(x);
        f.in = x.shape();
        f.dim = x.shape().normDim(dim);
        f.start = start;
        f.length = length;
        return f.output(x.data().narrow(dim, start, length));
    }

    @Override
    protected boolean addGradInto(Tensor g, Tensor acc) {
        try (Tensor dst = acc.narrow(dim, start, length)) {
            Tensor.addInto(dst, g);
        }
        return true;
    }

    @Override
    protected boolean freshGrads() { return true; }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor out = Tensor.zeros(g.dtype(), g.device(), in.toArray());
        try (Tensor dst = out.narrow(dim, start, length)) { dst.copyFrom(g); }
        return new Tensor[] {out};
    }
}

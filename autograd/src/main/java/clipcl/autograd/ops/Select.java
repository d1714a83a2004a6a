package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;

/** select (index i along dim, removing it); backward places g in a zero tensor of the input's shape. */
public final class Select extends Function {
    private Shape in;
    private int dim, index;

    public static Var apply(Var x, int dim, int index) {
        Select f = new Select();
        f.connect(x);
        f.in = x.shape();
        f.dim = x.shape().normDim(dim);
        int n = x.dim(f.dim);
        f.index = index < 0 ? index + n : index;
        return f.output(x.data().select(dim, index));
    }

    @Override
    protected boolean addGradInto(Tensor g, Tensor acc) {
        try (Tensor dst = acc.select(dim, index)) {
            Tensor.addInto(dst, g);
        }
        return true;
    }

    @Override
    protected boolean freshGrads() { return true; }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor out = Tensor.zeros(g.dtype(), g.device(), in.toArray());
        try (Tensor dst = out.select(dim, index)) { dst.copyFrom(g); }
        return new Tensor[] {out};
    }
}

package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;

/** gather along dim (torch semantics, constant I32 index); backward scatter-adds g into the input's shape. */
public final class Gather extends Function {
    private Shape in;
    private int dim;
    private Tensor index;

    public static Var apply(Var x, int dim, Tensor index) {
        Gather f = new Gather();
        f.connect(x);
        f.in = x.shape();
        f.dim = x.shape().normDim(dim);
        if (f.anyNeedsGrad()) f.index = f.save(index);
        return f.output(x.data().gather(dim, index));
    }

    @Override
    protected boolean freshGrads() { return true; }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor out = Tensor.zeros(g.dtype().computeType(), g.device(), in.toArray());
        Training.scatterAdd(out, dim, index, g);
        return new Tensor[] {out};
    }
}

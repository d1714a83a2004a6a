package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;

/** index_select along dim with a constant I32 index vector (also embedding lookup); backward index-adds. */
public final class IndexSelect extends Function {
    private Shape in;
    private int dim;
    private Tensor index;

    public static Var apply(Var x, int dim, Tensor index) {
        IndexSelect f = new IndexSelect();
        f.connect(x);
        f.in = x.shape();
        f.dim = x.shape().normDim(dim);
        Tensor out = x.data().indexSelect(dim, index);
        if (f.anyNeedsGrad()) f.index = f.save(index);
        return f.output(out);
    }

    @Override
    protected boolean freshGrads() { return true; }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor out = Tensor.zeros(g.dtype().computeType(), g.device(), in.toArray());
        try (Tensor flat = index.reshape(-1)) {
            Training.indexAdd(out, dim, flat, g);
        }
        return new Tensor[] {out};
    }
}

package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;

/** index_select along dim with a constant I32 index vector (also embedding lookup); backward index-adds. */
public final class IndexSelect extends Function {
    private Shape in;
    private int dim;
    private int[] index;

    public static Var apply(Var x, int dim, Tensor index) {
        IndexSelect f = new IndexSelect();
        f.connect(x);
        f.in = x.shape();
        f.dim = x.shape().normDim(dim);
        Tensor out = x.data().indexSelect(dim, index);
        if (f.anyNeedsGrad()) f.index = index.toIntArray();
        return f.output(out);
    }

    @Override
    protected boolean freshGrads() { return true; }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor out = Tensor.zeros(g.dtype().computeType(), in.toArray());
        Scatter.indexAdd(out, dim, index, g);
        return new Tensor[] {out};
    }
}

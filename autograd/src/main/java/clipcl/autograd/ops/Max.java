package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;

/** Maximum along one dim; the gradient goes to the first maximal element (the argmax), as torch.max(dim). */
public final class Max extends Function {
    private Shape in;
    private int dim;
    private Tensor argmax; // I32, keepdim shape

    public static Var apply(Var x, int dim, boolean keepdim) {
        Max f = new Max();
        f.connect(x);
        f.in = x.shape();
        f.dim = x.shape().normDim(dim);
        if (f.anyNeedsGrad()) f.argmax = f.own(x.data().argmax(f.dim, true));
        return f.output(x.data().max(dim, keepdim));
    }

    @Override
    protected boolean freshGrads() { return true; }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor out = Tensor.zeros(g.dtype().computeType(), g.device(), in.toArray());
        try (Tensor k = g.reshape(argmax.dims())) {
            Training.scatterAdd(out, dim, argmax, k);
        }
        return new Tensor[] {out};
    }
}

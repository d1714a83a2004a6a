package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;

/** Softmax along dim; saves only the output; fused backward y (g - sum(g y)). */
public final class Softmax extends Function {
    private Tensor out;
    private int dim;

    public static Var apply(Var x, int dim) {
        Softmax f = new Softmax();
        f.connect(x);
        f.dim = dim;
        Tensor o = x.data().softmax(dim);
        if (f.anyNeedsGrad()) f.out = f.save(o);
        return f.output(o);
    }

    @Override
    protected Tensor[] backward(Tensor g) { return new Tensor[] {Training.softmaxBackward(out, g, dim, false, 1.0)}; }
}

package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;

/** Log-softmax along dim; saves only the output; fused backward g - exp(y) sum(g). */
public final class LogSoftmax extends Function {
    private Tensor out;
    private int dim;

    public static Var apply(Var x, int dim) {
        LogSoftmax f = new LogSoftmax();
        f.connect(x);
        f.dim = dim;
        Tensor o = x.data().logSoftmax(dim);
        if (f.anyNeedsGrad()) f.out = f.save(o);
        return f.output(o);
    }

    @Override
    protected Tensor[] backward(Tensor g) { return new Tensor[] {Training.softmaxBackward(out, g, dim, true, 1.0)}; }
}

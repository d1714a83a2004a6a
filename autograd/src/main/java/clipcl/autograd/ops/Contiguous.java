package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/** A contiguous copy; the gradient passes through. */
public final class Contiguous extends Function {
    public static Var apply(Var x) {
        Contiguous f = new Contiguous();
        f.connect(x);
        return f.output(x.data().contiguous());
    }

    @Override
    protected Tensor[] backward(Tensor g) { return new Tensor[] {g}; }
}

package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/** x + s for a constant s: the gradient passes through. */
public final class AddScalar extends Function {
    public static Var apply(Var x, double s) {
        AddScalar f = new AddScalar();
        f.connect(x);
        return f.output(x.data().add(s));
    }

    @Override
    protected Tensor[] backward(Tensor g) { return new Tensor[] {g}; }
}

package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;

/** a + b with broadcasting: the gradient passes through, summed over broadcast dimensions. */
public final class Add extends Function {
    private Shape sa, sb;

    public static Var apply(Var a, Var b) {
        Add f = new Add();
        f.connect(a, b);
        return f.output(f.forward(a.data(), b.data()));
    }

    Tensor forward(Tensor a, Tensor b) {
        sa = a.shape();
        sb = b.shape();
        return a.add(b);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {needsGrad(0) ? unbroadcast(g, sa) : null, needsGrad(1) ? unbroadcast(g, sb) : null};
    }
}

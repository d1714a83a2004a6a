package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;

/** a * b with broadcasting; saves each operand only if the other one needs its gradient. */
public final class Mul extends Function {
    private Tensor a, b;
    private Shape sa, sb;

    public static Var apply(Var a, Var b) {
        Mul f = new Mul();
        f.connect(a, b);
        return f.output(f.forward(a.data(), b.data()));
    }

    Tensor forward(Tensor x, Tensor y) {
        sa = x.shape();
        sb = y.shape();
        if (needsGrad(0)) b = save(y);
        if (needsGrad(1)) a = save(x);
        return x.mul(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {needsGrad(0) ? Grads.reduced(g.mul(b), sa) : null, needsGrad(1) ? Grads.reduced(g.mul(a), sb) : null};
    }
}

package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;

/** a - b with broadcasting. */
public final class Sub extends Function {
    private Shape sa, sb;

    public static Var apply(Var a, Var b) {
        Sub f = new Sub();
        f.connect(a, b);
        return f.output(f.forward(a.data(), b.data()));
    }

    Tensor forward(Tensor a, Tensor b) {
        sa = a.shape();
        sb = b.shape();
        return a.sub(b);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor gb = null;
        if (needsGrad(1)) {
            Tensor u = unbroadcast(g, sb);
            gb = u.neg();
            if (u != g) u.close();
        }
        return new Tensor[] {needsGrad(0) ? unbroadcast(g, sa) : null, gb};
    }
}

package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/** x^2; backward 2 g x. */
public final class Square extends Function {
    private Tensor x;

    public static Var apply(Var x) {
        Square f = new Square();
        f.connect(x);
        return f.output(f.forward(x.data()));
    }

    Tensor forward(Tensor x) {
        if (anyNeedsGrad()) this.x = save(x);
        return x.square();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        try (Tensor t = g.mul(x)) { return new Tensor[] {t.mul(2.0)}; }
    }
}

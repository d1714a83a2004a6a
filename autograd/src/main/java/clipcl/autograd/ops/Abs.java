package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/** |x|; backward g sign(x) (0 at 0, as torch). */
public final class Abs extends Function {
    private Tensor x;

    public static Var apply(Var x) {
        Abs f = new Abs();
        f.connect(x);
        return f.output(f.forward(x.data()));
    }

    Tensor forward(Tensor x) {
        if (anyNeedsGrad()) this.x = save(x);
        return x.abs();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Pointwise.map2("abs backward", x, g, (v, gv) -> v > 0 ? gv : v < 0 ? -gv : 0.0)};
    }
}

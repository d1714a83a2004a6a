package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/** sqrt(x); backward g / (2 out). */
public final class Sqrt extends Function {
    private Tensor out;

    public static Var apply(Var x) {
        Sqrt f = new Sqrt();
        f.connect(x);
        return f.output(f.forward(x.data()));
    }

    Tensor forward(Tensor x) {
        Tensor o = x.sqrt();
        if (anyNeedsGrad()) out = save(o);
        return o;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        try (Tensor t = g.div(out)) { return new Tensor[] {t.mul(0.5)}; }
    }
}

package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/** sigmoid(x); backward g out (1 - out). */
public final class Sigmoid extends Function {
    private Tensor out;

    public static Var apply(Var x) {
        Sigmoid f = new Sigmoid();
        f.connect(x);
        return f.output(f.forward(x.data()));
    }

    Tensor forward(Tensor x) {
        Tensor o = x.sigmoid();
        if (anyNeedsGrad()) out = save(o);
        return o;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Pointwise.map2("sigmoid backward", out, g, (y, gv) -> gv * y * (1 - y))};
    }
}

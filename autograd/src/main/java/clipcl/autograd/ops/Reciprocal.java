package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/** 1/x; backward -g out^2. */
public final class Reciprocal extends Function {
    private Tensor out;

    public static Var apply(Var x) {
        Reciprocal f = new Reciprocal();
        f.connect(x);
        return f.output(f.forward(x.data()));
    }

    Tensor forward(Tensor x) {
        Tensor o = x.reciprocal();
        if (anyNeedsGrad()) out = save(o);
        return o;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        try (Tensor o2 = out.square(); Tensor t = g.mul(o2)) { return new Tensor[] {t.neg()}; }
    }
}

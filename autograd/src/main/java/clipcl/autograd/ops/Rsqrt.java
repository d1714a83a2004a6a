package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/** 1/sqrt(x); backward -g out^3 / 2. */
public final class Rsqrt extends Function {
    private Tensor out;

    public static Var apply(Var x) {
        Rsqrt f = new Rsqrt();
        f.connect(x);
        return f.output(f.forward(x.data()));
    }

    Tensor forward(Tensor x) {
        Tensor o = x.rsqrt();
        if (anyNeedsGrad()) out = save(o);
        return o;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        try (Tensor o2 = out.square(); Tensor o3 = o2.mul(out); Tensor t = g.mul(o3)) { return new Tensor[] {t.mul(-0.5)}; }
    }
}

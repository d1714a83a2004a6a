package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/** Exact GELU x Phi(x); backward g (Phi(x) + x phi(x)). */
public final class Gelu extends Function {
    private Tensor x;

    public static Var apply(Var x) {
        Gelu f = new Gelu();
        f.connect(x);
        return f.output(f.forward(x.data()));
    }

    Tensor forward(Tensor x) {
        if (anyNeedsGrad()) this.x = save(x);
        return x.gelu();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Pointwise.map2("gelu backward", x, g, (v, gv) -> {
            return gv * (Pointwise.normalCdf(v) + v * Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI));
        })};
    }
}

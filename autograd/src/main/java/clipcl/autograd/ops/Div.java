package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;

/** a / b with broadcasting: da = g / b, db = -g a / b^2 = -(g / b) * out. */
public final class Div extends Function {
    private Tensor b, out;
    private Shape sa, sb;

    public static Var apply(Var a, Var b) {
        Div f = new Div();
        f.connect(a, b);
        return f.output(f.forward(a.data(), b.data()));
    }

    Tensor forward(Tensor x, Tensor y) {
        sa = x.shape();
        sb = y.shape();
        if (anyNeedsGrad()) b = save(y);
        Tensor o = x.div(y);
        if (needsGrad(1)) out = save(o);
        return o;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor gOverB = g.div(b);
        Tensor gb = null;
        if (needsGrad(1)) {
            try (Tensor t = gOverB.mul(out)) { gb = Grads.reduced(t.neg(), sb); }
        }
        Tensor ga = null;
        if (needsGrad(0)) ga = Grads.reduced(gOverB, sa);
        else gOverB.close();
        return new Tensor[] {ga, gb};
    }
}

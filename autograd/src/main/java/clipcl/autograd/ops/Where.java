package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;

/** cond != 0 ? a : b with broadcasting (cond constant); each side gets g where it was chosen. */
public final class Where extends Function {
    private Tensor cond;
    private Shape sa, sb;

    public static Var apply(Tensor cond, Var a, Var b) {
        Where f = new Where();
        f.connect(a, b);
        f.sa = a.shape();
        f.sb = b.shape();
        if (f.anyNeedsGrad()) f.cond = f.save(cond);
        return f.output(Tensor.where(cond, a.data(), b.data()));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        try (Tensor zero = Tensor.scalarLike(g, 0)) {
            Tensor ga = needsGrad(0) ? Grads.reduced(Tensor.where(cond, g, zero), sa) : null;
            Tensor gb = needsGrad(1) ? Grads.reduced(Tensor.where(cond, zero, g), sb) : null;
            return new Tensor[] {ga, gb};
        }
    }
}

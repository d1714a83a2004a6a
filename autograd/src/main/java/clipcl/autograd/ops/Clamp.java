package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;

/** min(max(x, lo), hi) (either bound may be infinite); the gradient passes where lo <= x <= hi, as torch. */
public final class Clamp extends Function {
    private Tensor x;
    private double lo, hi;

    public static Var apply(Var x, double lo, double hi) {
        if (lo > hi) throw new IllegalArgumentException("clamp: lower bound " + lo + " above upper bound " + hi + " for " + x.shape());
        Clamp f = new Clamp();
        f.connect(x);
        f.lo = lo;
        f.hi = hi;
        if (f.anyNeedsGrad()) f.x = f.save(x.data());
        Tensor out;
        try (Tensor l = Tensor.scalarLike(x.data(), lo); Tensor h = Tensor.scalarLike(x.data(), hi); Tensor m = x.data().maximum(l)) {
            out = m.minimum(h);
        }
        return f.output(out);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Training.clampBackward(x, g, lo, hi)};
    }
}

package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/** x^p for a constant p; backward g p x^(p-1). */
public final class PowScalar extends Function {
    private Tensor x;
    private double p;

    public static Var apply(Var x, double p) {
        PowScalar f = new PowScalar();
        f.p = p;
        f.connect(x);
        if (f.anyNeedsGrad()) f.x = f.save(x.data());
        return f.output(x.data().pow(p));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        double q = p - 1;
        if (q == 0) return new Tensor[] {g.mul(p)};
        try (Tensor xq = x.pow(q); Tensor gp = g.mul(p)) {
            return new Tensor[] {gp.mul(xq)};
        }
    }
}

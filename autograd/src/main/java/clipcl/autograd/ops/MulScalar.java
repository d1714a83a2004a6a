package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/** x * s or x / s for a constant s (divide kept as a division so results match torch bit for bit). */
public final class MulScalar extends Function {
    private double s;
    private boolean divide;

    public static Var apply(Var x, double s, boolean divide) {
        MulScalar f = new MulScalar();
        f.s = s;
        f.divide = divide;
        f.connect(x);
        return f.output(divide ? x.data().div(s) : x.data().mul(s));
    }

    @Override
    protected Tensor[] backward(Tensor g) { return new Tensor[] {divide ? g.div(s) : g.mul(s)}; }
}

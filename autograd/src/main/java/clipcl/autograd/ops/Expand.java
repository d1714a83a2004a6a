package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;

/** expand (stride-0 broadcast view); backward sums g over the broadcast dims. */
public final class Expand extends Function {
    private Shape in;

    public static Var apply(Var x, int[] dims) {
        Expand f = new Expand();
        f.connect(x);
        f.in = x.shape();
        return f.output(x.data().expand(dims));
    }

    @Override
    protected Tensor[] backward(Tensor g) { return new Tensor[] {unbroadcast(g, in)}; }
}

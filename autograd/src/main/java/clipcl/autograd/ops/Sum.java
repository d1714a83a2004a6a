package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;

/** Sum over dims; backward broadcasts g back over them (a stride-0 view, no copy). */
public final class Sum extends Function {
    private Shape in;
    private int[] kept;

    public static Var apply(Var x, int[] dims, boolean keepdim) {
        Sum f = new Sum();
        f.connect(x);
        f.in = x.shape();
        f.kept = Reduce.keptShape(x.shape(), dims);
        return f.output(x.data().sum(dims, keepdim));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        try (Tensor k = g.reshape(kept)) { return new Tensor[] {k.expand(in)}; }
    }
}

package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;

/** reshape / view (and squeeze, unsqueeze, flatten): backward reshapes g back. */
public final class Reshape extends Function {
    private Shape in;

    public static Var apply(Var x, int[] dims, boolean viewOnly) {
        Reshape f = new Reshape();
        f.connect(x);
        f.in = x.shape();
        return f.output(viewOnly ? x.data().view(dims) : x.data().reshape(dims));
    }

    @Override
    protected Tensor[] backward(Tensor g) { return new Tensor[] {g.reshape(in.toArray())}; }
}

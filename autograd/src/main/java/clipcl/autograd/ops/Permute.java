package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/** permute / transpose / mT (views); backward applies the inverse permutation. */
public final class Permute extends Function {
    private int[] inverse;

    public static Var apply(Var x, int[] order) {
        Permute f = new Permute();
        f.connect(x);
        Tensor out = x.data().permute(order);
        f.inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) f.inverse[x.shape().normDim(order[i])] = i;
        return f.output(out);
    }

    @Override
    protected Tensor[] backward(Tensor g) { return new Tensor[] {g.permute(inverse)}; }
}

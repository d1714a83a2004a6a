package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;

/** Mean over dims; backward g / n broadcast back over them. */
public final class Mean extends Function {
    private Shape in;
    private int[] kept;
    private long n;

    public static Var apply(Var x, int[] dims, boolean keepdim) {
        Mean f = new Mean();
        f.connect(x);
        f.in = x.shape();
        f.kept = Reduce.keptShape(x.shape(), dims);
        f.n = x.numel() / Math.max(1, Shape.of(f.kept).numel());
        return f.output(x.data().mean(dims, keepdim));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        try (Tensor k = g.reshape(kept); Tensor s = k.div((double) n)) { return new Tensor[] {s.expand(in)}; }
    }
}

package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/** Variance over dims; backward 2 g (x - mean) / (n - ddof). */
public final class Variance extends Function {
    private Tensor x;
    private int[] dims, kept;
    private double denom;

    public static Var apply(Var x, int[] dims, boolean keepdim, boolean unbiased) {
        Variance f = new Variance();
        f.connect(x);
        f.dims = dims.clone();
        f.kept = Reduce.keptShape(x.shape(), dims);
        long n = x.numel() / Math.max(1, clipcl.tensor.Shape.of(f.kept).numel());
        f.denom = unbiased ? n - 1 : n;
        if (f.anyNeedsGrad()) f.x = f.save(x.data());
        return f.output(x.data().var(dims, keepdim, unbiased));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        try (Tensor m = x.mean(dims, true); Tensor c = x.sub(m); Tensor k = g.reshape(kept); Tensor s = k.mul(2.0 / denom)) {
            return new Tensor[] {c.mul(s)};
        }
    }
}

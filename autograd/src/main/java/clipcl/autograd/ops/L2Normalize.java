package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/**
 * x / max(||x||, eps) along dim (torch.nn.functional.normalize). Backward, with y the output and
 * nrm the clamped norm: (g - y sum(g y)) / nrm where the norm exceeds eps, g / eps where it was clamped.
 */
public final class L2Normalize extends Function {
    private Tensor out, norm;
    private int dim;
    private double eps;

    public static Var apply(Var x, int dim, double eps) {
        L2Normalize f = new L2Normalize();
        f.connect(x);
        f.dim = dim;
        f.eps = eps;
        Tensor o = x.data().l2Normalize(dim, eps);
        if (f.anyNeedsGrad()) {
            f.out = f.save(o);
            try (Tensor sq = x.data().square(); Tensor ss = sq.sum(dim, true)) { f.norm = f.own(ss.sqrt()); }
        }
        return f.output(o);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        try (Tensor gy = g.mul(out); Tensor s = gy.sum(dim, true); Tensor ys = out.mul(s); Tensor big = norm.gt(eps);
             Tensor proj = g.sub(ys); Tensor num = Tensor.where(big, proj, g); Tensor den = norm.maximum(scalar(eps, norm))) {
            return new Tensor[] {num.div(den)};
        }
    }

    private static Tensor scalar(double v, Tensor like) { return Tensor.scalarLike(like, v); }
}

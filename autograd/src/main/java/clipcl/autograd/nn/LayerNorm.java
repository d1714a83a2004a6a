package clipcl.autograd.nn;

import clipcl.autograd.Var;

/** torch.nn.LayerNorm over the last dimension: weight (gain, init 1) and bias (init 0). */
public final class LayerNorm extends Module implements Layer {
    private final int dim;
    private final double eps;

    public LayerNorm(int dim, double eps, Init init) {
        this.dim = dim;
        this.eps = eps;
        registerParameter("weight", init.ones(dim));
        registerParameter("bias", init.zeros(dim));
    }

    public LayerNorm(int dim, Init init) { this(dim, 1e-5, init); }

    public double eps() { return eps; }

    @Override
    public Var forward(Var x) {
        if (x.dim(-1) != dim) throw new IllegalArgumentException("LayerNorm(" + dim + "): input " + x.shape() + " has last dimension " + x.dim(-1));
        return x.layerNorm(param("weight"), param("bias"), eps);
    }
}

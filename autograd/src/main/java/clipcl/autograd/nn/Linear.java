package clipcl.autograd.nn;

import clipcl.autograd.F;
import clipcl.autograd.Var;

/** y = x W^T + b as torch.nn.Linear: weight [out, in], bias [out] (optional). */
public final class Linear extends Module implements Layer {
    private final int in, out;

    public Linear(int in, int out, boolean bias, Init init) {
        if (in <= 0 || out <= 0) throw new IllegalArgumentException("Linear: sizes must be positive, got in " + in + ", out " + out);
        this.in = in;
        this.out = out;
        registerParameter("weight", init.linearDefault(in, out, in));
        if (bias) registerParameter("bias", init.linearDefault(in, out));
    }

    public Linear(int in, int out, Init init) { this(in, out, true, init); }

    public int inFeatures() { return in; }

    public int outFeatures() { return out; }

    public Var weight() { return param("weight"); }

    /** The bias, or null when built without one. */
    public Var bias() { return paramOrNull("bias"); }

    /** x [..., in] -> [..., out]. */
    @Override
    public Var forward(Var x) {
        if (x.dim(-1) != in) throw new IllegalArgumentException("Linear(" + in + " -> " + out + "): input " + x.shape() + " has last dimension " + x.dim(-1));
        return F.linear(x, weight(), bias());
    }
}

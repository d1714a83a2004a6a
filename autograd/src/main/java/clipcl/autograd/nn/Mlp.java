package clipcl.autograd.nn;

import clipcl.autograd.Var;
import clipcl.tensor.OpProfile;

/** CLIP's MLP: c_fc (width -> hidden), activation, c_proj (hidden -> width). */
public final class Mlp extends Module implements Layer {
    private final Activation act;

    public Mlp(int width, int hidden, Activation act, Init init) {
        this.act = act;
        registerModule("c_fc", new Linear(width, hidden, init));
        registerModule("c_proj", new Linear(hidden, width, init));
    }

    public Activation activation() { return act; }

    @Override
    public Var forward(Var x) {
        Linear fc = child("c_fc"), proj = child("c_proj");
        long t = OpProfile.start();
        Var h = fc.forward(x);
        OpProfile.stop("GEMM c_fc (+ bias)", t);
        t = OpProfile.start();
        h = act.apply(h);
        OpProfile.stop(act == Activation.GELU ? "GELU" : "QuickGELU", t);
        t = OpProfile.start();
        Var y = proj.forward(h);
        OpProfile.stop("GEMM c_proj (+ bias)", t);
        return y;
    }
}

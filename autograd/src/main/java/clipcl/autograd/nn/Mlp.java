package clipcl.autograd.nn;

import clipcl.autograd.Grad;
import clipcl.autograd.Var;
import clipcl.tensor.OpProfile;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;

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
        Var h = null;
        if (act == Activation.QUICK_GELU && x.dim(-1) == fc.inFeatures() && !needsGrad(x, fc)) {
            // Inference: QuickGELU on each tile of c_fc's product as it is finished.
            Tensor y = Training.linearQuickGelu(x.data(), fc.weight().data(), fc.bias() == null ? null : fc.bias().data());
            if (y != null) {
                h = Var.constant(y);
                OpProfile.stop("GEMM c_fc (+ bias + QuickGELU, fused)", t);
            }
        }
        if (h == null) {
            h = fc.forward(x);
            OpProfile.stop("GEMM c_fc (+ bias)", t);
            t = OpProfile.start();
            h = act.apply(h);
            OpProfile.stop(act == Activation.GELU ? "GELU" : "QuickGELU", t);
        }
        t = OpProfile.start();
        Var y = proj.forward(h);
        OpProfile.stop("GEMM c_proj (+ bias)", t);
        return y;
    }

    private static boolean needsGrad(Var x, Linear fc) {
        if (!Grad.isEnabled()) return false;
        return x.requiresGrad() || fc.weight().requiresGrad() || (fc.bias() != null && fc.bias().requiresGrad());
    }
}

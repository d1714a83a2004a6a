package clipcl.autograd.nn;

import clipcl.autograd.Var;

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
        return proj.forward(act.apply(fc.forward(x)));
    }
}

package clipcl.autograd.nn;

import clipcl.autograd.Var;

/** The MLP non-linearity: exact (erf) GELU, or OpenAI CLIP's x * sigmoid(1.702 x). */
public enum Activation {
    GELU, QUICK_GELU;

    public Var apply(Var x) { return this == GELU ? x.gelu() : x.quickGelu(); }
}

package clipcl.continual.train;

import clipcl.autograd.Var;
import clipcl.clip.model.Clip;

/** A named, weighted penalty on the parameters themselves (EWC, L2 to an anchor); logged as a term. */
public interface Regularizer {
    String name();

    double weight();

    /** A scalar Var differentiable in the model's parameters. */
    Var penalty(Clip model);
}

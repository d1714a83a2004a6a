package clipcl.autograd.nn;

import clipcl.autograd.Var;

/** A module with one input and one output (what {@link Sequential} chains). */
public interface Layer {
    Var forward(Var x);
}

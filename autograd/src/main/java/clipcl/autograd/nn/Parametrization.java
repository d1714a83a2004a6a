package clipcl.autograd.nn;

import clipcl.autograd.Var;

/**
 * A function that turns a parameter into the weight a module actually uses (its effective weight):
 * a per-output scale, a low-rank update W + B A, a reparametrization. Implemented by a {@link Module}
 * so that its own parameters (the scale, A and B) are registered, saved and trained like any other;
 * installed with {@link Module#parametrize}, it changes what {@code param(name)} returns inside the
 * owning module, so layers need no edit to be rectified.
 */
public interface Parametrization {
    /** The effective weight from the raw parameter (same shape). */
    Var apply(Var raw);
}

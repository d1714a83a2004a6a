package clipcl.continual.train;

import clipcl.autograd.Var;

/**
 * One named, weighted part of the training loss. The trainer adds {@code weight * compute(...)} to the
 * total and logs the unweighted value under {@link #name} at every step, so each term's curve can be
 * read separately (the base objective is a term like any other, weight 1).
 */
public interface LossTerm {
    String name();

    double weight();

    /** A scalar Var; it may read the teacher (under no-grad) and must not change any parameter. */
    Var compute(Batch batch, StudentOutputs student, TeacherContext ctx);
}

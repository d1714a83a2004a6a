package clipcl.continual.train;

import clipcl.autograd.Var;

/**
 * A base objective computed over the batch's new items only, as if the replayed rows were not in the
 * batch (neither anchors nor negatives): plain DER, whose replayed items enter the loss only through
 * their stored outputs. Logged under the base objective's name.
 */
public record NewItemsOnly(LossTerm base) implements LossTerm {
    @Override
    public String name() { return base.name(); }

    @Override
    public double weight() { return base.weight(); }

    @Override
    public Var compute(Batch batch, StudentOutputs student, TeacherContext ctx) {
        if (batch.replayed() == 0) return base.compute(batch, student, ctx);
        Batch fresh = batch.head(batch.size() - batch.replayed());
        return base.compute(fresh, student.head(fresh), ctx);
    }
}

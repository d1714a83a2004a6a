package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/** Where the constant mask is non-zero, value; elsewhere x. Backward: g with the masked positions zeroed. */
public final class MaskedFill extends Function {
    private Tensor mask;

    public static Var apply(Var x, Tensor mask, double value) {
        MaskedFill f = new MaskedFill();
        f.connect(x);
        if (f.anyNeedsGrad()) f.mask = f.save(mask);
        return f.output(x.data().maskedFill(mask, value));
    }

    @Override
    protected Tensor[] backward(Tensor g) { return new Tensor[] {g.maskedFill(mask, 0.0)}; }
}

package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;
import clipcl.tensor.UnaryOp;

/** Exact GELU x Phi(x); backward g (Phi(x) + x phi(x)). */
public final class Gelu extends Function {
    private Tensor x;

    public static Var apply(Var x) {
        Gelu f = new Gelu();
        f.connect(x);
        return f.output(f.forward(x.data()));
    }

    Tensor forward(Tensor x) {
        if (anyNeedsGrad()) this.x = save(x);
        return x.gelu();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Training.unaryBackward(UnaryOp.GELU, x, g)};
    }
}

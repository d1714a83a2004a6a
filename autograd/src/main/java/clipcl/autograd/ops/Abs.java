package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;
import clipcl.tensor.UnaryOp;

/** |x|; backward g sign(x) (0 at 0, as torch). */
public final class Abs extends Function {
    private Tensor x;

    public static Var apply(Var x) {
        Abs f = new Abs();
        f.connect(x);
        return f.output(f.forward(x.data()));
    }

    Tensor forward(Tensor x) {
        if (anyNeedsGrad()) this.x = save(x);
        return x.abs();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Training.unaryBackward(UnaryOp.ABS, x, g)};
    }
}

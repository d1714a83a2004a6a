package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;
import clipcl.tensor.UnaryOp;

/** tanh(x); backward g (1 - out^2). */
public final class Tanh extends Function {
    private Tensor out;

    public static Var apply(Var x) {
        Tanh f = new Tanh();
        f.connect(x);
        return f.output(f.forward(x.data()));
    }

    Tensor forward(Tensor x) {
        Tensor o = x.tanh();
        if (anyNeedsGrad()) out = save(o);
        return o;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Training.unaryBackward(UnaryOp.TANH, out, g)};
    }
}

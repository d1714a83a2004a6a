package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;
import clipcl.tensor.UnaryOp;

/** sigmoid(x); backward g out (1 - out). */
public final class Sigmoid extends Function {
    private Tensor out;

    public static Var apply(Var x) {
        Sigmoid f = new Sigmoid();
        f.connect(x);
        return f.output(f.forward(x.data()));
    }

    Tensor forward(Tensor x) {
        Tensor o = x.sigmoid();
        if (anyNeedsGrad()) out = save(o);
        return o;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Training.unaryBackward(UnaryOp.SIGMOID, out, g)};
    }
}

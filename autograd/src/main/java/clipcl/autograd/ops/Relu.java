package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;
import clipcl.tensor.UnaryOp;

/** max(x, 0); backward g where out > 0. */
public final class Relu extends Function {
    private Tensor out;

    public static Var apply(Var x) {
        Relu f = new Relu();
        f.connect(x);
        return f.output(f.forward(x.data()));
    }

    Tensor forward(Tensor x) {
        Tensor o = x.relu();
        if (anyNeedsGrad()) out = save(o);
        return o;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Training.unaryBackward(UnaryOp.RELU, out, g)};
    }
}

package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;
import clipcl.tensor.UnaryOp;

/** OpenAI CLIP's QuickGELU x sigmoid(1.702 x), with a fused one-pass backward
 * g (s + 1.702 x s (1 - s)), s = sigmoid(1.702 x); saves only x. */
public final class QuickGelu extends Function {
    private Tensor x;

    public static Var apply(Var x) {
        QuickGelu f = new QuickGelu();
        f.connect(x);
        return f.output(f.forward(x.data()));
    }

    Tensor forward(Tensor x) {
        if (anyNeedsGrad()) this.x = save(x);
        return x.quickGelu();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Training.unaryBackward(UnaryOp.QUICK_GELU, x, g)};
    }
}

package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/** log(x); backward g / x. */
public final class Log extends Function {
    private Tensor x;

    public static Var apply(Var x) {
        Log f = new Log();
        f.connect(x);
        return f.output(f.forward(x.data()));
    }

    Tensor forward(Tensor x) {
        if (anyNeedsGrad()) this.x = save(x);
        return x.log();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.div(x)};
    }
}

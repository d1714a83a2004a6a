package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;

/** Small helpers shared by the backward formulas. */
final class Grads {
    private Grads() { }

    /** unbroadcast(t, shape) that hands over t: closes t when a new tensor came out. */
    static Tensor reduced(Tensor t, Shape shape) {
        Tensor r = Function.unbroadcast(t, shape);
        if (r != t) t.close();
        return r;
    }

    /** Closes a temporary (null allowed) and returns nothing; for one-line cleanup. */
    static void close(Tensor... ts) {
        for (Tensor t : ts) if (t != null) t.close();
    }
}

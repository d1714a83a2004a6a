package clipcl.autograd.nn;

import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/** Scaled dot-product attention for the modules. */
final class Attention {
    private Attention() { }

    /** softmax(q k^T / sqrt(hd) + mask) v; q, k, v [B, H, L, hd], mask [L, L] additive or null. */
    static Var scaledDotProduct(Var q, Var k, Var v, Tensor mask) {
        double scale = 1.0 / Math.sqrt(q.dim(-1));
        Var s = q.matmul(k.mT()).mul(scale);                 // [B, H, L, L]
        if (mask != null) s = s.add(Var.constant(mask));
        return s.softmax(-1).matmul(v);                       // [B, H, L, hd]
    }
}

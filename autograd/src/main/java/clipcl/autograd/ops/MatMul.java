package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;

/**
 * torch.matmul: dA = g @ B^T, dB = A^T @ g on transposed views (no copies), summed over broadcast
 * batch dims. When B has no batch dims (x[..,S,K] @ W[K,N], every linear layer) dB is one GEMM over
 * the flattened batch, A_flat^T @ g_flat, instead of a batch of products summed afterwards.
 */
public final class MatMul extends Function {
    private Tensor a, b;
    private Shape sa, sb;

    public static Var apply(Var a, Var b) {
        MatMul f = new MatMul();
        f.connect(a, b);
        f.sa = a.shape();
        f.sb = b.shape();
        if (f.needsGrad(0)) f.b = f.save(b.data());
        if (f.needsGrad(1)) f.a = f.save(a.data());
        return f.output(a.data().matmul(b.data()));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        boolean vecA = sa.rank() == 1, vecB = sb.rank() == 1;
        // Promote to matrices as the forward did: [k] -> [1,k] for a, [k] -> [k,1] for b.
        try (Tensor g2 = vecA && vecB ? g.reshape(1, 1) : vecA ? g.unsqueeze(-2) : vecB ? g.unsqueeze(-1) : g.reshape(g.dims())) {
            Tensor ga = null, gb = null;
            if (needsGrad(0)) {
                try (Tensor b2 = vecB ? b.unsqueeze(1) : b.reshape(b.dims()); Tensor bt = b2.mT()) {
                    Tensor r = g2.matmul(bt);                      // [batch.., M, K]
                    ga = Grads.reduced(vecA ? squeezed(r, r.rank() - 2) : r, sa);
                }
            }
            if (needsGrad(1)) {
                try (Tensor a2 = vecA ? a.unsqueeze(0) : a.reshape(a.dims())) {
                    Tensor r;
                    if (sb.rank() <= 2 && g2.rank() > 2) {
                        // b was shared by every batch element, so a carries the whole batch.
                        try (Tensor af = a2.reshape(-1, a2.dim(-1)); Tensor aft = af.mT(); Tensor gf = g2.reshape(-1, g2.dim(-1))) {
                            r = aft.matmul(gf);                    // [K, N]
                        }
                    } else {
                        try (Tensor at = a2.mT()) { r = at.matmul(g2); } // [batch.., K, N]
                    }
                    gb = Grads.reduced(vecB ? squeezed(r, r.rank() - 1) : r, sb);
                }
            }
            return new Tensor[] {ga, gb};
        }
    }

    /** r without its size-1 dimension d (hands r over). */
    private static Tensor squeezed(Tensor r, int d) {
        Tensor s = r.squeeze(d);
        r.close();
        return s;
    }
}

package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.OpProfile;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;

/**
 * softmax(q k^T / sqrt(Dh) + mask) v for q [..,Sq,Dh], k and v [..,Sk,Dh] (batch dims such as
 * [B,H] shared), with an optional additive mask broadcast to [..,Sq,Sk] (for example a causal
 * upper triangle of -inf). Scale, mask and softmax are one backend kernel over the scores; backward
 * saves q, k, v and the probabilities P and runs four GEMMs on transposed views plus one fused pass
 * dS = P (dP - rowsum(dP P)) / sqrt(Dh):
 * dV = P^T g, dP = g V^T, dQ = dS K, dK = dS^T Q.
 * Where the backend has a fused attention kernel for the operands (a mask of [Sq, Sk] or none),
 * forward and backward are that kernel instead ({@link Training#attention}), which saves q, k and v.
 */
public final class ScaledDotProductAttention extends Function {
    private Tensor q, k, v, p;
    private double scale;
    private boolean fused;

    public static Var apply(Var q, Var k, Var v, Tensor mask) {
        String what = "scaled_dot_product_attention of q " + q.shape() + ", k " + k.shape() + ", v " + v.shape();
        if (q.rank() < 2 || k.rank() != q.rank() || v.rank() != q.rank()) throw new IllegalArgumentException(what + ": q, k, v need the same rank >= 2");
        int dh = q.dim(-1), sk = k.dim(-2);
        if (k.dim(-1) != dh) throw new IllegalArgumentException(what + ": q and k head sizes differ");
        if (v.dim(-2) != sk) throw new IllegalArgumentException(what + ": k and v sequence lengths differ");
        for (int i = 0; i < q.rank() - 2; i++) {
            if (k.dim(i) != q.dim(i) || v.dim(i) != q.dim(i)) throw new IllegalArgumentException(what + ": batch dimensions differ");
        }
        ScaledDotProductAttention f = new ScaledDotProductAttention();
        f.connect(q, k, v);
        f.scale = 1.0 / Math.sqrt(dh);
        Tensor probs, out;
        Tensor[] kernel = mask == null || mask.rank() == 2 ? Training.attention(q.data(), k.data(), v.data(), mask, f.scale) : null;
        if (kernel != null) {
            f.fused = true;
            out = kernel[0];                                                  // [..,Sq,Dh]
            probs = kernel[1];                                                // [..,Sq,Sk]
        } else {
            long t = OpProfile.start();
            try (Tensor kt = k.data().mT(); Tensor scores = q.data().matmul(kt)) {   // [..,Sq,Sk]
                OpProfile.stop("attention QK^T", t);
                t = OpProfile.start();
                probs = Training.maskedSoftmax(scores, mask, f.scale);             // softmax(scores * scale + mask), fused
                OpProfile.stop("attention softmax (scale, mask)", t);
            }
            t = OpProfile.start();
            out = probs.matmul(v.data());                                     // [..,Sq,Dh]
            OpProfile.stop("attention PV", t);
        }
        if (f.anyNeedsGrad()) {
            f.p = f.own(probs);
            if (f.fused || f.needsGrad(1) || f.needsGrad(2)) f.q = f.save(q.data());
            if (f.fused || f.needsGrad(0)) f.k = f.save(k.data());
            if (f.fused || f.needsGrad(0) || f.needsGrad(1)) f.v = f.save(v.data());
        } else {
            probs.close();
        }
        return f.output(out);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        if (fused) {
            Tensor[] d = Training.attentionBackward(q, k, v, p, g, scale, needsGrad(0), needsGrad(1), needsGrad(2));
            if (d != null) return d;
        }
        Tensor dq = null, dk = null, dv = null;
        if (needsGrad(2)) {
            try (Tensor pt = p.mT()) { dv = pt.matmul(g); }                   // [..,Sk,Dh]
        }
        if (needsGrad(0) || needsGrad(1)) {
            Tensor ds;
            try (Tensor vt = v.mT(); Tensor dp = g.matmul(vt)) {              // dP [..,Sq,Sk]
                ds = Training.softmaxBackward(p, dp, -1, false, scale);        // dS, scaled
            }
            if (needsGrad(0)) dq = ds.matmul(k);                               // [..,Sq,Dh]
            if (needsGrad(1)) {
                try (Tensor dst = ds.mT()) { dk = dst.matmul(q); }             // [..,Sk,Dh]
            }
            ds.close();
        }
        return new Tensor[] {dq, dk, dv};
    }
}

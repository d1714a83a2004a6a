package clipcl.tensor;

/**
 * Front end of the backend's training kernels (backward passes, losses, optimizer updates): checks,
 * dtype promotion and output allocation on the operands' device, then one backend call. Autograd
 * and the optimizers reach every kernel through here, so they run unchanged on any device.
 */
public final class Training {
    private Training() { }

    private static DType floatType(String op, Tensor... ts) {
        DType dt = null;
        for (Tensor t : ts) {
            if (t == null) continue;
            Ops.floating(op, t);
            dt = dt == null ? t.dtype().computeType() : DType.promote(dt, t.dtype().computeType());
        }
        return dt;
    }

    private static void sameDevice(String op, Tensor first, Tensor... rest) {
        Ops.open(op, first);
        for (Tensor t : rest) {
            if (t == null) continue;
            Ops.open(op, t);
            Ops.sameDevice(op, first, t);
        }
    }

    private static void sameShape(String op, Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) throw new IllegalArgumentException(op + ": shapes " + a.shape() + " and " + b.shape() + " differ");
    }

    /** Softmax (or log-softmax) backward along dim from the forward's output y, times scale. */
    public static Tensor softmaxBackward(Tensor y, Tensor g, int dim, boolean log, double scale) {
        String op = log ? "log_softmax backward" : "softmax backward";
        sameDevice(op, y, g);
        sameShape(op, y, g);
        Tensor dx = Tensor.empty(floatType(op, y, g), y.device(), y.shape());
        y.backend().softmaxBackward(y, g, y.shape().normDim(dim), log, scale, dx);
        return dx;
    }

    /** softmax(x * scale + mask) along the last dimension; mask (additive) broadcasts to x's shape, or is null. */
    public static Tensor maskedSoftmax(Tensor x, Tensor mask, double scale) {
        String op = "masked softmax";
        sameDevice(op, x, mask);
        Tensor out = Tensor.empty(floatType(op, x), x.device(), x.shape());
        Tensor m = null;
        if (mask != null) {
            if (mask.rank() > x.rank()) throw new IllegalArgumentException(op + ": mask " + mask.shape() + " has more dimensions than the scores " + x.shape());
            try {
                m = mask.expand(x.shape());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(op + ": mask " + mask.shape() + " does not broadcast to the scores " + x.shape());
            }
        }
        try {
            x.backend().maskedSoftmax(x, m, scale, out);
        } finally {
            if (m != null) m.close();
        }
        return out;
    }

    /**
     * {out [.., Sq, Dh], probs [.., Sq, Sk]} of softmax(q k^T * scale + mask) v where the backend has
     * a fused kernel for these operands ({@link Backend#attention}), else null (compose it instead).
     */
    public static Tensor[] attention(Tensor q, Tensor k, Tensor v, Tensor mask, double scale) {
        String op = "attention";
        sameDevice(op, q, k, v);
        sameDevice(op, q, mask);
        DType dt = floatType(op, q, k, v);
        if (!q.backend().supportsAttention(q, k, v, mask)) return null;
        Shape ps = q.shape().withDim(-1, k.dim(-2));
        Tensor out = Tensor.empty(dt, q.device(), q.shape()), probs = Tensor.empty(dt, q.device(), ps);
        if (q.backend().attention(q, k, v, mask, scale, out, probs)) return new Tensor[] {out, probs};
        out.close();
        probs.close();
        return null;
    }

    /**
     * Inference self-attention from the packed projection qkv [B, L, 3D] -> [B, L, D] with the heads
     * merged ({@link Backend#selfAttentionInference}), or null where the backend has no such kernel
     * or {@link Fusion#attention} is off (compose the attention op instead).
     */
    public static Tensor selfAttentionInference(Tensor qkv, int heads, Tensor mask, double scale) {
        String op = "self-attention of qkv " + qkv.shape();
        if (!Fusion.attention() || !qkv.backend().fusesInference()) return null;
        if (qkv.rank() != 3 || qkv.dim(2) % (3 * heads) != 0) throw new IllegalArgumentException(op + ": qkv must be [B, L, 3 * " + heads + " * head size]");
        int l = qkv.dim(1);
        if (mask != null && (mask.rank() != 2 || mask.dim(0) != l || mask.dim(1) != l)) throw new IllegalArgumentException(op + ": mask " + mask.shape() + " must be [" + l + ", " + l + "]");
        sameDevice(op, qkv, mask);
        Tensor out = Tensor.empty(floatType(op, qkv), qkv.device(), qkv.dim(0), l, qkv.dim(2) / 3);
        if (qkv.backend().selfAttentionInference(qkv, heads, mask, scale, out)) return out;
        out.close();
        return null;
    }

    /** {dq, dk, dv} (null where not wanted) of {@link #attention} where the backend has the kernel, else null. */
    public static Tensor[] attentionBackward(Tensor q, Tensor k, Tensor v, Tensor probs, Tensor g, double scale, boolean needQ, boolean needK, boolean needV) {
        String op = "attention backward";
        sameDevice(op, q, k, v);
        sameDevice(op, q, probs, g);
        DType dt = floatType(op, q, g);
        if (!q.backend().supportsAttention(q, k, v, null)) return null;
        Tensor dq = needQ ? Tensor.empty(dt, q.device(), q.shape()) : null;
        Tensor dk = needK ? Tensor.empty(dt, q.device(), k.shape()) : null;
        Tensor dv = needV ? Tensor.empty(dt, q.device(), v.shape()) : null;
        if (q.backend().attentionBackward(q, k, v, probs, g, scale, dq, dk, dv)) return new Tensor[] {dq, dk, dv};
        for (Tensor t : new Tensor[] {dq, dk, dv}) if (t != null) t.close();
        return null;
    }

    /**
     * {out, mean, rstd} of LayerNorm over the last dimension; mean and rstd ([rows], for
     * {@link #layerNormBackward}) are null where the backend recomputes them in backward instead.
     */
    public static Tensor[] layerNormForward(Tensor x, Tensor weight, Tensor bias, double eps) { return NormOps.layerNormWithStats(x, weight, bias, eps); }

    /** {dx, dweight, dbias} of LayerNorm over the last dimension; entries not asked for are null. */
    public static Tensor[] layerNormBackward(Tensor g, Tensor x, Tensor weight, double eps, boolean needX, boolean needW, boolean needB) {
        return layerNormBackward(g, x, weight, eps, null, null, needX, needW, needB);
    }

    /** As above, with the forward's statistics from {@link #layerNormForward} (null: recomputed). */
    public static Tensor[] layerNormBackward(Tensor g, Tensor x, Tensor weight, double eps, Tensor mean, Tensor rstd, boolean needX, boolean needW, boolean needB) {
        String op = "layer_norm backward";
        sameDevice(op, g, x, weight);
        sameDevice(op, g, mean, rstd);
        if (x != null) sameShape(op, g, x);
        if ((needX || needW) && x == null) throw new IllegalArgumentException(op + ": dx and dweight need the input x");
        DType dt = floatType(op, g, x);
        int n = g.dim(-1);
        Tensor dx = needX ? Tensor.empty(dt, g.device(), g.shape()) : null;
        Tensor dw = needW ? Tensor.empty(dt, g.device(), n) : null;
        Tensor db = needB ? Tensor.empty(dt, g.device(), n) : null;
        if (needX || needW || needB) g.backend().layerNormBackward(g, x, weight, eps, mean, rstd, dx, dw, db);
        return new Tensor[] {dx, dw, db};
    }

    /** {loss [N], lse [N]}: per-row cross-entropy of logits [N,C] against I32 targets [N] on the same device. */
    public static Tensor[] crossEntropy(Tensor logits, Tensor targets) {
        String op = "cross_entropy of logits " + logits.shape();
        sameDevice(op, logits, targets);
        Ops.index(op, targets);
        if (logits.rank() != 2) throw new IllegalArgumentException(op + ": logits must be [N, C]");
        if (targets.rank() != 1 || targets.dim(0) != logits.dim(0)) throw new IllegalArgumentException(op + ": targets " + targets.shape() + " must be [" + logits.dim(0) + "]");
        DType dt = floatType(op, logits);
        Tensor loss = Tensor.empty(dt, logits.device(), logits.dim(0)), lse = Tensor.empty(dt, logits.device(), logits.dim(0));
        logits.backend().crossEntropy(logits, targets, loss, lse);
        return new Tensor[] {loss, lse};
    }

    /** dlogits of the per-row cross-entropy given dloss [N] (a broadcast view is fine). */
    public static Tensor crossEntropyBackward(Tensor logits, Tensor targets, Tensor lse, Tensor dloss) {
        String op = "cross_entropy backward";
        sameDevice(op, logits, targets, lse, dloss);
        Tensor dx = Tensor.empty(floatType(op, logits, dloss), logits.device(), logits.shape());
        logits.backend().crossEntropyBackward(logits, targets, lse, dloss, dx);
        return dx;
    }

    /** Per-row KL(softmax(old / t) || softmax(new / t)) over the last dimension: [numel / C]. */
    public static Tensor softmaxKl(Tensor oldLogits, Tensor newLogits, double t) {
        String op = "softmax_kl";
        sameDevice(op, oldLogits, newLogits);
        sameShape(op, oldLogits, newLogits);
        int rows = oldLogits.numel() / Math.max(1, oldLogits.dim(-1));
        Tensor kl = Tensor.empty(floatType(op, oldLogits, newLogits), oldLogits.device(), rows);
        oldLogits.backend().softmaxKl(oldLogits, newLogits, t, kl);
        return kl;
    }

    /** {dOld, dNew} of the per-row KL given dkl [rows]; entries not asked for are null. */
    public static Tensor[] softmaxKlBackward(Tensor oldLogits, Tensor newLogits, double t, Tensor dkl, boolean needOld, boolean needNew) {
        String op = "softmax_kl backward";
        sameDevice(op, oldLogits, newLogits, dkl);
        DType dt = floatType(op, oldLogits, newLogits);
        Tensor dOld = needOld ? Tensor.empty(dt, oldLogits.device(), oldLogits.shape()) : null;
        Tensor dNew = needNew ? Tensor.empty(dt, oldLogits.device(), oldLogits.shape()) : null;
        if (needOld || needNew) oldLogits.backend().softmaxKlBackward(oldLogits, newLogits, t, dkl, dOld, dNew);
        return new Tensor[] {dOld, dNew};
    }

    /** dx of a unary op (see {@link Backend#unaryBackward} for what saved is). */
    public static Tensor unaryBackward(UnaryOp op, Tensor saved, Tensor g) {
        String name = op.name().toLowerCase() + " backward";
        sameDevice(name, saved, g);
        sameShape(name, saved, g);
        Tensor dx = Tensor.empty(floatType(name, saved, g), g.device(), g.shape());
        g.backend().unaryBackward(op, saved, g, dx);
        return dx;
    }

    public static Tensor clampBackward(Tensor x, Tensor g, double lo, double hi) {
        String op = "clamp backward";
        sameDevice(op, x, g);
        sameShape(op, x, g);
        Tensor dx = Tensor.empty(floatType(op, x, g), g.device(), g.shape());
        g.backend().clampBackward(x, g, lo, hi, dx);
        return dx;
    }

    /** y = x W^T + b for x [..,K], W [N,K], b [N] or null -> [..,N]. */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) { return linear(x, w, b, false); }

    /**
     * quick_gelu(x W^T + b) with the activation fused into the product (for inference: nothing is
     * kept for a backward), or null where the backend has no such kernel or {@link Fusion#gelu} is
     * off (run {@link #linear} and the activation instead).
     */
    public static Tensor linearQuickGelu(Tensor x, Tensor w, Tensor b) { return Fusion.gelu() && x.backend().fusesInference() ? linear(x, w, b, true) : null; }

    private static Tensor linear(Tensor x, Tensor w, Tensor b, boolean quickGelu) {
        String op = "linear of input " + x.shape() + " and weight " + w.shape();
        sameDevice(op, x, w, b);
        DType dt = floatType(op, x, w, b);
        int k = x.dim(-1), n = w.dim(0);
        int[] outDims = x.dims();
        outDims[outDims.length - 1] = n;
        Tensor x2 = x.reshape(-1, k);                                  // a view unless x's rows cannot flatten
        Tensor xd = x2.dtype() == dt ? x2 : x2.to(dt), wd = w.dtype() == dt ? w : w.to(dt), bd = b == null || b.dtype() == dt ? b : b.to(dt);
        Tensor y = Tensor.empty(dt, x.device(), x2.dim(0), n);
        boolean done = true;
        try {
            if (quickGelu) done = x.backend().linearQuickGelu(xd, wd, bd, y);
            else x.backend().linear(xd, wd, bd, y);
        } finally {
            if (xd != x2) xd.close();
            if (x2 != x) x2.close();
            if (wd != w) wd.close();
            if (bd != b) bd.close();
        }
        if (!done) {
            y.close();
            return null;
        }
        return Ops.replaceByView(y, y.reshape(outDims));
    }

    /** dst += src scattered along dim by index (torch's scatter_add_); dst is a contiguous float tensor. */
    public static void scatterAdd(Tensor dst, int dim, Tensor index, Tensor src) {
        String op = "scatter_add";
        sameDevice(op, dst, index, src);
        Ops.index(op, index);
        if (!dst.isContiguous()) throw new IllegalArgumentException(op + ": destination must be contiguous");
        if (index.rank() != dst.rank() || !index.shape().equals(src.shape())) throw new IllegalArgumentException(op + ": index " + index.shape() + " and source " + src.shape() + " must match, with the rank of " + dst.shape());
        Tensor s = src.dtype() == dst.dtype() ? src : src.to(dst.dtype());
        try {
            dst.backend().scatterAdd(dst, dst.shape().normDim(dim), index, s);
        } finally {
            if (s != src) s.close();
        }
    }

    /** dst.select(dim, index[i]) += src.select(dim, i) for an I32 index vector (the adjoint of index_select). */
    public static void indexAdd(Tensor dst, int dim, Tensor index, Tensor src) {
        int d = dst.shape().normDim(dim);
        if (index.rank() != 1 || src.dim(d) != index.dim(0)) throw new IllegalArgumentException("index_add: index " + index.shape() + " must be 1-D with the length of dimension " + d + " of " + src.shape());
        int[] one = new int[src.rank()];
        java.util.Arrays.fill(one, 1);
        one[d] = index.dim(0);
        try (Tensor iv = index.reshape(one); Tensor ie = iv.expand(src.shape())) {
            scatterAdd(dst, d, ie, src);
        }
    }

    public static void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, AdamStep c) {
        String op = "adam";
        sameDevice(op, p, g, m, v);
        sameShape(op, p, g);
        p.backend().adamStep(p, g, m, v, c);
    }

    public static void sgdStep(Tensor p, Tensor g, Tensor buf, SgdStep c) {
        String op = "sgd";
        sameDevice(op, p, g, buf);
        sameShape(op, p, g);
        p.backend().sgdStep(p, g, buf, c);
    }

    /** The sum of the squares of x's elements as a scalar of x's compute dtype on x's device. */
    public static Tensor sumSquares(Tensor x) {
        Ops.open("sum_squares", x);
        Tensor out = Tensor.empty(floatType("sum_squares", x), x.device(), Shape.SCALAR);
        x.backend().sumSquares(x, out);
        return out;
    }
}

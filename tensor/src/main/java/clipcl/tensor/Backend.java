package clipcl.tensor;

/**
 * What a device must provide. The front-end op classes validate shapes and dtypes, broadcast
 * operands to the output shape with stride-0 views, and hand the backend tensors it can trust;
 * a backend only computes. Outputs are fresh contiguous tensors that the backend must write
 * completely; inputs may be any strided views (including stride 0). Every operand of a call is on
 * this backend's device, except the one side of {@link #copy} that moves data between devices.
 *
 * <p>The first block is the primitives every backend implements. The second block is the fused
 * training kernels (backward passes, losses, optimizer updates, in-place accumulation): each has a
 * default that composes the primitives (see {@link TrainingDefaults}), so a new backend runs
 * training unchanged, and a backend overrides what it has a kernel for. The front end of these is
 * {@link Training}; model code never calls a backend directly.
 */
public interface Backend {
    String name();

    /** New storage of n elements on this backend's device; contents unspecified. */
    Storage allocate(DType dtype, int n);

    /** dst[i] = src[i] with dtype conversion; same shape, any strides. Also moves between devices. */
    void copy(Tensor src, Tensor dst);

    void fill(Tensor dst, double value);

    /** out = op(x); same shape. */
    void unary(UnaryOp op, Tensor x, Tensor out);

    /** out = op(a, b); a and b already have out's shape (broadcast views). */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /** out = cond != 0 ? a : b; all have out's shape. */
    void where(Tensor cond, Tensor a, Tensor b, Tensor out);

    /** Reduces dimension dim of x into out, which has x's shape with dim set to 1 (I32 for arg ops). */
    void reduce(ReduceOp op, Tensor x, int dim, Tensor out);

    /** Softmax (or log-softmax) along dim; out has x's shape. */
    void softmax(Tensor x, int dim, boolean log, Tensor out);

    /** LayerNorm over the last dimension (weight, bias of that size, or null). */
    void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out);

    /** out[b] = a[b] @ bm[b] for rank-3 operands [B,M,K] x [B,K,N] -> [B,M,N]; any strides (transposes need no copy). */
    void matmul(Tensor a, Tensor bm, Tensor out);

    /** out = x.index_select(dim, index) with an I32 index vector. */
    void indexSelect(Tensor x, int dim, Tensor index, Tensor out);

    /** out = x.gather(dim, index), torch semantics; index has out's shape. */
    void gather(Tensor x, int dim, Tensor index, Tensor out);

    // ---------------------------------------------------------------- device state (defaults: a synchronous host device)

    /** Waits until every operation queued on this device has finished (for timing). */
    default void synchronize() { }

    /** Bytes of tensor memory in use on this device now, or -1 when the backend does not track it. */
    default long memoryInUseBytes() { return -1; }

    /** The most bytes in use since start or {@link #resetPeakMemory}, or -1 when not tracked. */
    default long peakMemoryBytes() { return -1; }

    default void resetPeakMemory() { }

    // ---------------------------------------------------------------- training kernels (defaults compose the above)

    /**
     * dst += src in place. src has dst's shape (a broadcast view at most). dst may be any strided
     * view, for example a slice of a larger gradient buffer, but no two of its elements may share
     * memory, and it must not overlap src. The one place where a backend writes into a tensor that
     * is not a fresh output.
     */
    default void addInto(Tensor dst, Tensor src) { TrainingDefaults.addInto(this, dst, src); }

    /**
     * dx = scale * (y (g - sum(g y))), or for log-softmax scale * (g - exp(y) sum(g)), along dim;
     * y is the forward's output, g the output's gradient; all of one shape.
     */
    default void softmaxBackward(Tensor y, Tensor g, int dim, boolean log, double scale, Tensor dx) {
        TrainingDefaults.softmaxBackward(y, g, dim, log, scale, dx);
    }

    /** out = softmax(x * scale + mask) along the last dimension; mask is null or an additive view of x's shape. */
    default void maskedSoftmax(Tensor x, Tensor mask, double scale, Tensor out) { TrainingDefaults.maskedSoftmax(this, x, mask, scale, out); }

    /**
     * Fused attention: out = softmax(q k^T * scale + mask) v, and probs = the softmax (kept for the
     * backward). q [.., Sq, Dh], k and v [.., Sk, Dh] with the same batch dimensions (any strides);
     * mask an additive [Sq, Sk] or null; out [.., Sq, Dh] and probs [.., Sq, Sk] dense, of q's type.
     * Returns whether it did: the default does nothing and the caller composes a product, the masked
     * softmax and a product, which is what a backend without such a kernel wants.
     */
    default boolean attention(Tensor q, Tensor k, Tensor v, Tensor mask, double scale, Tensor out, Tensor probs) { return false; }

    /**
     * out = quick_gelu(x W^T + b) for x [M, K], W [N, K], b [N] or null, out [M, N] dense, with the
     * activation fused into the product. Returns whether it did (the default: no; the caller runs
     * {@link #linear} and the activation).
     */
    default boolean linearQuickGelu(Tensor x, Tensor w, Tensor b, Tensor out) { return false; }

    /**
     * Whether this backend has the fused inference kernels ({@link #linearQuickGelu},
     * {@link #selfAttentionInference}); asked before their outputs are allocated, so a backend without
     * them (a GPU's) costs the composed path nothing extra. A backend that answers yes may still
     * decline particular operands.
     */
    default boolean fusesInference() { return false; }

    /**
     * Self-attention for inference from the packed projection: qkv [B, L, 3D] (q, k, v, each of
     * heads x D/heads) -> out [B, L, D] = the heads' softmax(q k^T * scale + mask) v, merged; mask
     * an additive [L, L] or null; out dense, of qkv's type. Keeps nothing for a backward. Returns
     * whether it did (the default: no; the caller composes the attention op instead).
     */
    default boolean selfAttentionInference(Tensor qkv, int heads, Tensor mask, double scale, Tensor out) { return false; }

    /** Whether {@link #attention} and its backward take these operands (asked before the outputs are allocated). */
    default boolean supportsAttention(Tensor q, Tensor k, Tensor v, Tensor mask) { return false; }

    /**
     * The backward of {@link #attention} from its probs and the output's gradient g (q's shape):
     * dq, dk, dv (dense, any may be null: not wanted). Returns whether it did (the default: no).
     */
    default boolean attentionBackward(Tensor q, Tensor k, Tensor v, Tensor probs, Tensor g, double scale, Tensor dq, Tensor dk, Tensor dv) {
        return false;
    }

    /**
     * {@link #layerNorm} that may also write each row's mean and 1/std (F32 [rows]) for the
     * backward; returns whether it did. The default (and the CPU) keeps none: their backward
     * recomputes the statistics from rows it reads anyway.
     */
    default boolean layerNormWithStats(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out, Tensor mean, Tensor rstd) {
        layerNorm(x, weight, bias, eps, out);
        return false;
    }

    /**
     * LayerNorm backward over the last dimension: writes dx (x's shape), dw and db ([n]) for
     * whichever is not null. weight may be null (no affine scale). mean and rstd are the forward's
     * statistics from {@link #layerNormWithStats}, or null to recompute them from x.
     */
    default void layerNormBackward(Tensor g, Tensor x, Tensor weight, double eps, Tensor mean, Tensor rstd, Tensor dx, Tensor dw, Tensor db) {
        TrainingDefaults.layerNormBackward(g, x, weight, eps, dx, dw, db);
    }

    /**
     * Per-row cross-entropy of logits [N,C] against I32 targets [N]: loss[r] = lse[r] - x[r, t[r]]
     * with lse[r] = logsumexp(x[r]); both outputs [N]. A target outside [0, C) is an error.
     */
    default void crossEntropy(Tensor logits, Tensor targets, Tensor loss, Tensor lse) { TrainingDefaults.crossEntropy(logits, targets, loss, lse); }

    /** dx[r] = (softmax(x[r]) - onehot(t[r])) * dloss[r], with lse from {@link #crossEntropy}. */
    default void crossEntropyBackward(Tensor logits, Tensor targets, Tensor lse, Tensor dloss, Tensor dx) {
        TrainingDefaults.crossEntropyBackward(this, logits, targets, lse, dloss, dx);
    }

    /**
     * kl[r] = KL(softmax(old[r] / t) || softmax(new[r] / t)) over the last dimension, one value per
     * row (kl has numel / C elements).
     */
    default void softmaxKl(Tensor oldLogits, Tensor newLogits, double t, Tensor kl) { TrainingDefaults.softmaxKl(oldLogits, newLogits, t, kl, null, null, null); }

    /**
     * Gradients of {@link #softmaxKl} times dkl[r]: dNew = (q - p) / t, dOld = p (log p - log q - kl) / t;
     * either output may be null.
     */
    default void softmaxKlBackward(Tensor oldLogits, Tensor newLogits, double t, Tensor dkl, Tensor dOld, Tensor dNew) {
        TrainingDefaults.softmaxKl(oldLogits, newLogits, t, null, dkl, dOld, dNew);
    }

    /**
     * dx of a unary op given the output's gradient g. saved is what the forward kept: its input x
     * for ABS, GELU and QUICK_GELU; its output y for SIGMOID, TANH and RELU.
     */
    default void unaryBackward(UnaryOp op, Tensor saved, Tensor g, Tensor dx) { TrainingDefaults.unaryBackward(this, op, saved, g, dx); }

    /** dx = g where lo <= x <= hi, else 0 (torch's clamp gradient). */
    default void clampBackward(Tensor x, Tensor g, double lo, double hi, Tensor dx) { TrainingDefaults.clampBackward(this, x, g, lo, hi, dx); }

    /** out [M,N] = x [M,K] w^T + b for w [N,K] (PyTorch's layout) and b [N] or null. */
    default void linear(Tensor x, Tensor w, Tensor b, Tensor out) { TrainingDefaults.linear(this, x, w, b, out); }

    /**
     * dst[i_0..index[p]..i_r] += src[p] along dim for every position p of src (torch's scatter_add_);
     * index is I32 with src's shape (a broadcast view for index_add and embedding backward). dst is
     * contiguous; contributions to one element are summed in an order the backend chooses.
     */
    default void scatterAdd(Tensor dst, int dim, Tensor index, Tensor src) {
        TrainingDefaults.onHost("scatter_add", new Tensor[] {index, src}, new Tensor[] {dst}, true,
                (c, in, out) -> c.scatterAdd(out[0], dim, in[0], in[1]));
    }

    /** One Adam or AdamW update in place on the dense tensors p, m, v (one dtype) given the gradient g. */
    default void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, AdamStep c) { TrainingDefaults.adamStep(p, g, m, v, c); }

    /** One SGD update in place on p (and the momentum buffer buf, null without momentum). */
    default void sgdStep(Tensor p, Tensor g, Tensor buf, SgdStep c) { TrainingDefaults.sgdStep(p, g, buf, c); }

    /** out (one element) = the sum of the squares of x's elements (for the global gradient norm). */
    default void sumSquares(Tensor x, Tensor out) { TrainingDefaults.sumSquares(x, out); }
}

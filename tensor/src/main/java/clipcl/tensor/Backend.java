package clipcl.tensor;

/**
 * What a device must provide. The front-end op classes validate shapes and dtypes, broadcast
 * operands to the output shape with stride-0 views, and hand the backend tensors it can trust;
 * a backend only computes. Outputs are fresh contiguous tensors that the backend must write
 * completely; inputs may be any strided views (including stride 0).
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
}

package clipcl.cuda;

import clipcl.tensor.DType;
import clipcl.tensor.Tensor;

/**
 * Launches of attention.cu behind {@link CudaBackend#attention} and its backward. The kernels read
 * q, k, v and the output gradient in place through (batch, head, sequence) strides with a dense head
 * dimension: the views MultiheadAttention makes of its packed projection need no copy. Anything else
 * (other dtypes, batch ranks above two, heads over {@link #MAX_HEAD_DIM}, masks other than a dense
 * [Sq, Sk]) is declined and the front end composes the products and the masked softmax instead.
 */
final class FusedAttention {
    /** attention.cu's ATT_ROWS (query or key rows per block, a warp each) and ATT_MAX_DH. */
    static final int ROWS = 8, MAX_HEAD_DIM = 128;

    private FusedAttention() { }

    /** Batch and head sizes and each operand's (batch, head, sequence) strides for rank 3 or 4. */
    record View(int batch, int heads, int sB, int sH, int sS) {
        static View of(Tensor t) {
            return t.rank() == 4
                    ? new View(t.dim(0), t.dim(1), t.stride(0), t.stride(1), t.stride(2))
                    : new View(t.dim(0), 1, t.stride(0), 0, t.stride(1));
        }
    }

    static boolean supports(Tensor q, Tensor k, Tensor v, Tensor mask) {
        if (!headMajor(q) || !headMajor(k) || !headMajor(v)) return false;
        int dh = q.dim(-1), sq = q.dim(-2), sk = k.dim(-2);
        if (dh > MAX_HEAD_DIM || k.dim(-1) != dh || v.dim(-1) != dh || v.dim(-2) != sk || sq == 0 || sk == 0 || dh == 0) return false;
        for (int d = 0; d < q.rank() - 2; d++) if (k.dim(d) != q.dim(d) || v.dim(d) != q.dim(d)) return false;
        if ((long) q.dim(0) * (q.rank() == 4 ? q.dim(1) : 1) > Integer.MAX_VALUE) return false;
        return mask == null || mask.dtype() == DType.F32 && mask.rank() == 2 && mask.dim(0) == sq && mask.dim(1) == sk && mask.isContiguous();
    }

    private static boolean headMajor(Tensor t) { return t.dtype() == DType.F32 && (t.rank() == 3 || t.rank() == 4) && t.stride(-1) == 1; }

    private static boolean dense(Tensor t) { return t == null || t.dtype() == DType.F32 && t.isContiguous(); }

    static boolean forward(CudaBackend b, Tensor q, Tensor k, Tensor v, Tensor mask, double scale, Tensor out, Tensor probs) {
        if (!supports(q, k, v, mask) || !dense(out) || !dense(probs)) return false;
        View qv = View.of(q), kv = View.of(k), vv = View.of(v);
        int n = qv.batch * qv.heads, sq = q.dim(-2), sk = k.dim(-2), dh = q.dim(-1);
        b.launch2d(Kernel.ATTENTION_FORWARD, n, blocks(sq), ROWS * FusedKernels.WARP, 1,
                CudaBackend.at(q), CudaBackend.at(k), CudaBackend.at(v), ptr(mask), CudaBackend.at(out), CudaBackend.at(probs),
                qv.heads, sq, sk, dh, qv.sB, qv.sH, qv.sS, kv.sB, kv.sH, kv.sS, vv.sB, vv.sH, vv.sS, (float) scale);
        return true;
    }

    static boolean backward(CudaBackend b, Tensor q, Tensor k, Tensor v, Tensor probs, Tensor g, double scale, Tensor dq, Tensor dk, Tensor dv) {
        if (!supports(q, k, v, null) || !headMajor(g) || g.rank() != q.rank() || !g.shape().equals(q.shape())) return false;
        if (!dense(probs) || !dense(dq) || !dense(dk) || !dense(dv)) return false;
        View kv = View.of(k), vv = View.of(v), qv = View.of(q), gv = View.of(g);
        int n = qv.batch * qv.heads, sq = q.dim(-2), sk = k.dim(-2), dh = q.dim(-1);
        try (Tensor ds = Tensor.empty(DType.F32, b.deviceId(), probs.shape())) {    // dS [.., Sq, Sk]
            b.launch2d(Kernel.ATTENTION_BACKWARD_DQ, n, blocks(sq), ROWS * FusedKernels.WARP, 1,
                    CudaBackend.at(k), CudaBackend.at(v), CudaBackend.at(probs), CudaBackend.at(g), CudaBackend.at(ds), ptr(dq),
                    qv.heads, sq, sk, dh, kv.sB, kv.sH, kv.sS, vv.sB, vv.sH, vv.sS, gv.sB, gv.sH, gv.sS, (float) scale);
            if (dk != null || dv != null) {
                b.launch2d(Kernel.ATTENTION_BACKWARD_DKDV, n, blocks(sk), ROWS * FusedKernels.WARP, 1,
                        CudaBackend.at(q), CudaBackend.at(g), CudaBackend.at(probs), CudaBackend.at(ds), ptr(dk), ptr(dv),
                        qv.heads, sq, sk, dh, qv.sB, qv.sH, qv.sS, gv.sB, gv.sH, gv.sS);
            }
        }
        return true;
    }

    private static int blocks(int rows) { return (rows + ROWS - 1) / ROWS; }

    private static KernelModule.Dev ptr(Tensor t) { return t == null ? new KernelModule.Dev(0) : CudaBackend.at(t); }
}

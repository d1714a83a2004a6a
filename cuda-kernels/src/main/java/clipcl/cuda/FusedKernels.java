package clipcl.cuda;

import clipcl.tensor.DType;
import clipcl.tensor.Tensor;

/**
 * Launches of the training kernels (softmax, layer_norm, QuickGELU, cross-entropy, softmax-KL,
 * AdamW, scatter-add) behind {@link CudaBackend}'s {@link clipcl.tensor.Backend} methods. Operands
 * are made dense F32 on the device first where a kernel needs rows (the copy kernel, no host
 * round trip); results go into the outputs the front end allocated.
 */
final class FusedKernels {
    static final int ROWS_PER_BLOCK = 8, WARP = 32;
    /** Rows summed by one block of the dw/db column reduction. */
    static final int LN_ROWS_PER_CHUNK = 256;

    private FusedKernels() { }

    private static KernelModule.Dev ptr(Tensor t) { return t == null ? new KernelModule.Dev(0) : CudaBackend.at(t); }

    private static Tensor scratch(CudaBackend b, int... dims) { return Tensor.empty(DType.F32, b.deviceId(), dims); }

    private static int blocksForRows(int rows) { return (rows + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK; }

    // ---------------------------------------------------------------- softmax

    /** Softmax rows of dense F32 x [rows, n] into dense F32 out: a warp per row up to 1024, else a block. */
    static void softmaxRows(CudaBackend b, Tensor x, Tensor out, int rows, int n, boolean log) {
        if (n <= 1024) {
            b.launch2d(Kernel.SOFTMAX_FORWARD_WARP, blocksForRows(rows), 1, ROWS_PER_BLOCK * WARP, 1, ptr(x), ptr(out), rows, n, log ? 1 : 0);
        } else {
            b.launch2d(Kernel.SOFTMAX_FORWARD_BLOCK, Math.min(rows, 65535), 1, 1024, 1, ptr(x), ptr(out), rows, n, log ? 1 : 0);
        }
    }

    /** dx of softmax (or log-softmax) over the last dimension of dense F32 y and g into dense F32 dx. */
    static void softmaxBackwardRows(CudaBackend b, Tensor y, Tensor g, Tensor dx, boolean log) {
        int n = y.dim(-1), rows = y.numel() / Math.max(n, 1);
        if (rows == 0) return;
        Kernel k = n <= 1024 ? Kernel.SOFTMAX_BACKWARD_WARP : Kernel.SOFTMAX_BACKWARD_BLOCK;
        int grid = n <= 1024 ? blocksForRows(rows) : Math.min(rows, 65535), block = n <= 1024 ? ROWS_PER_BLOCK * WARP : 1024;
        b.launch2d(k, grid, 1, block, 1, ptr(y), ptr(g), ptr(dx), rows, n, log ? 1 : 0);
    }

    // ---------------------------------------------------------------- layer_norm

    static void layerNormForward(CudaBackend b, Tensor x, Tensor w, Tensor bias, Tensor out, Tensor mean, Tensor rstd, int rows, int n, float eps) {
        b.launch2d(Kernel.LAYERNORM_FORWARD, blocksForRows(rows), 1, ROWS_PER_BLOCK * WARP, 1,
                ptr(x), ptr(w), ptr(bias), ptr(out), ptr(mean), ptr(rstd), rows, n, eps);
    }

    /**
     * dx, dw, db (any may be null) of LayerNorm over dense F32 rows, from the forward's mean and
     * rstd ([rows]); when they were not kept (null), the forward kernel recomputes them into scratch
     * buffers first (one extra pass over x).
     */
    static void layerNormBackward(CudaBackend b, Tensor g, Tensor x, Tensor w, float eps, Tensor savedMean, Tensor savedRstd, Tensor dx, Tensor dw, Tensor db) {
        int n = g.dim(-1), rows = g.numel() / n;
        if (rows == 0) return;
        boolean saved = savedMean != null && savedRstd != null;
        Tensor mean = saved ? savedMean : scratch(b, rows), rstd = saved ? savedRstd : scratch(b, rows);
        Tensor y = saved ? null : scratch(b, rows, n);
        Tensor dxs = dx != null ? dx : scratch(b, rows, n);
        Tensor partW = null, partB = null;
        try {
            if (!saved) layerNormForward(b, x, w, null, y, mean, rstd, rows, n, eps);
            b.launch2d(Kernel.LAYERNORM_BACKWARD_DX, blocksForRows(rows), 1, ROWS_PER_BLOCK * WARP, 1,
                    ptr(g), ptr(x), ptr(w), ptr(mean), ptr(rstd), ptr(dxs), rows, n);
            if (dw != null || db != null) {
                int chunks = Math.max(1, (rows + LN_ROWS_PER_CHUNK - 1) / LN_ROWS_PER_CHUNK);
                partW = scratch(b, chunks, n);
                partB = scratch(b, chunks, n);
                b.launch2d(Kernel.LAYERNORM_BACKWARD_DWDB_PARTIAL, (n + WARP - 1) / WARP, chunks, WARP, 8,
                        ptr(g), ptr(x), ptr(mean), ptr(rstd), ptr(partW), ptr(partB), rows, n, LN_ROWS_PER_CHUNK);
                b.launch(Kernel.LAYERNORM_BACKWARD_DWDB_FINISH, n, ptr(partW), ptr(partB), ptr(dw), ptr(db), chunks, n);
            }
        } finally {
            if (!saved) {
                mean.close();
                rstd.close();
                y.close();
            }
            if (dxs != dx) dxs.close();
            if (partW != null) partW.close();
            if (partB != null) partB.close();
        }
    }

    // ---------------------------------------------------------------- QuickGELU

    static void quickGeluBackward(CudaBackend b, Tensor x, Tensor g, Tensor dx) {
        if (x.numel() > 0) b.launch(Kernel.QUICK_GELU_BACKWARD, x.numel(), ptr(x), ptr(g), ptr(dx), x.numel());
    }

    // ---------------------------------------------------------------- losses

    /** Per-row cross-entropy of dense F32 logits [rows, C] against dense I32 targets [rows]. */
    static void crossEntropy(CudaBackend b, Tensor logits, Tensor targets, Tensor loss, Tensor lse) {
        int rows = logits.dim(0), c = logits.dim(1);
        long flag = b.device().resetFlag();
        b.launch2d(Kernel.CROSS_ENTROPY_FORWARD, blocksForRows(rows), 1, ROWS_PER_BLOCK * WARP, 1,
                ptr(logits), ptr(targets), ptr(loss), ptr(lse), rows, c, new KernelModule.Dev(flag));
        int bad = b.device().readFlag();
        if (bad != 0) throw new IndexOutOfBoundsException("cross_entropy on cuda: target of row " + (bad - 1) + " is outside [0, " + c + ")");
    }

    /** dlogits = (softmax - onehot) * dloss[row], all dense F32 (targets I32). */
    static void crossEntropyBackward(CudaBackend b, Tensor logits, Tensor targets, Tensor lse, Tensor dloss, Tensor dx) {
        int rows = logits.dim(0), c = logits.dim(1);
        b.launch(Kernel.CROSS_ENTROPY_BACKWARD, (long) rows * c, ptr(logits), ptr(targets), ptr(lse), ptr(dloss), ptr(dx), rows, c);
    }

    /** KL(softmax(teacher / T) || softmax(student / T)) per row of dense F32 [rows, C]. */
    static void softmaxKl(CudaBackend b, Tensor teacher, Tensor student, Tensor kl, float temperature) {
        int rows = student.dim(0), c = student.dim(1);
        b.launch2d(Kernel.SOFTMAX_KL_FORWARD, blocksForRows(rows), 1, ROWS_PER_BLOCK * WARP, 1, ptr(teacher), ptr(student), ptr(kl), rows, c, 1.0f / temperature);
    }

    /** The student's gradient (q - p) / T * dkl[row], dense F32. */
    static void softmaxKlBackwardStudent(CudaBackend b, Tensor teacher, Tensor student, Tensor dkl, Tensor ds, float temperature) {
        int rows = student.dim(0), c = student.dim(1);
        b.launch2d(Kernel.SOFTMAX_KL_BACKWARD, blocksForRows(rows), 1, ROWS_PER_BLOCK * WARP, 1,
                ptr(teacher), ptr(student), ptr(dkl), ptr(ds), rows, c, 1.0f / temperature);
    }

    // ---------------------------------------------------------------- AdamW

    /** One AdamW step in place on dense F32 param, m and v with dense F32 gradient grad. */
    static void adamw(CudaBackend b, Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2,
                      float eps, float weightDecay, float bc1, float bc2) {
        float[] h = {lr, beta1, beta2, eps, weightDecay, bc1, bc2, 1f};
        if (param.numel() > 0) b.launch(Kernel.ADAMW_STEP, param.numel(), ptr(param), ptr(grad), ptr(m), ptr(v), ptr(null), param.numel(), h);
    }

    // ---------------------------------------------------------------- scatter-add

    /** dst (dense F32) += src scattered along dim by the I32 index (src's shape, any strides). */
    static void scatterAdd(CudaBackend b, Tensor dst, int dim, Tensor index, Tensor src, int[] layout, int[] indexStrides, int[] srcStrides, int[] dstStrides) {
        int n = src.numel();
        if (n == 0) return;
        long flag = b.device().resetFlag();
        b.launch(Kernel.SCATTER_ADD_F32, n, layout, indexStrides, CudaBackend.base(index), srcStrides, CudaBackend.base(src), CudaBackend.code(src.dtype()),
                CudaBackend.at(dst), dstStrides, dim, dst.dim(dim), n, new KernelModule.Dev(flag));
        int bad = b.device().readFlag();
        if (bad != 0) throw new IndexOutOfBoundsException("scatter_add on cuda: an index is out of range for dimension " + dim + " of size " + dst.dim(dim) + " (source element " + (bad - 1) + ")");
    }
}

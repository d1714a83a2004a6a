package clipcl.cuda;

import clipcl.tensor.DType;
import clipcl.tensor.Tensor;

/**
 * The training kernels that the {@link clipcl.tensor.Backend} interface has no slot for: backward
 * passes of softmax, layer_norm and QuickGELU, cross-entropy and softmax-KL with their gradients,
 * and the fused AdamW step. Inputs must be CUDA tensors; other dtypes and layouts are made dense
 * F32 first. Outputs are new contiguous F32 tensors (in the caller's scope) unless noted.
 */
public final class CudaTraining {
    static final int ROWS_PER_BLOCK = 8, WARP = 32;

    private CudaTraining() { }

    /** LayerNorm output with the per-row statistics its backward needs. */
    public record LayerNormResult(Tensor out, Tensor mean, Tensor rstd) { }

    /** Gradients of LayerNorm; dWeight/dBias are null when not asked for. */
    public record LayerNormGrads(Tensor dx, Tensor dWeight, Tensor dBias) { }

    /** Per-row cross-entropy losses and the log-sum-exp of each row (for the backward). */
    public record CrossEntropyResult(Tensor loss, Tensor lse) { }

    static CudaBackend backend(Tensor t) {
        if (t.backend() instanceof CudaBackend b) return b;
        throw new IllegalArgumentException("cuda training op given a tensor on " + t.device());
    }

    private static KernelModule.Dev ptr(Tensor t) { return t == null ? new KernelModule.Dev(0) : CudaBackend.at(t); }

    private static Tensor emptyLike(CudaBackend b, int... dims) { return Tensor.empty(DType.F32, b.deviceId(), dims); }

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

    /** dx of softmax (or log-softmax) over the last dimension, from the forward's output y. */
    public static Tensor softmaxBackward(Tensor y, Tensor dy, boolean log) {
        CudaBackend b = backend(y);
        int n = y.dim(-1), rows = y.numel() / Math.max(n, 1);
        Tensor yd = b.denseF32(y), gd = b.denseF32(dy);
        Tensor dx = emptyLike(b, y.dims());
        try {
            Kernel k = n <= 1024 ? Kernel.SOFTMAX_BACKWARD_WARP : Kernel.SOFTMAX_BACKWARD_BLOCK;
            int grid = n <= 1024 ? blocksForRows(rows) : Math.min(rows, 65535), block = n <= 1024 ? ROWS_PER_BLOCK * WARP : 1024;
            if (rows > 0) b.launch2d(k, grid, 1, block, 1, ptr(yd), ptr(gd), ptr(dx), rows, n, log ? 1 : 0);
            return dx;
        } finally {
            CudaBackend.closeIfCopy(yd, y);
            CudaBackend.closeIfCopy(gd, dy);
        }
    }

    // ---------------------------------------------------------------- layer_norm

    static void layerNormForward(CudaBackend b, Tensor x, Tensor w, Tensor bias, Tensor out, Tensor mean, Tensor rstd, int rows, int n, float eps) {
        b.launch2d(Kernel.LAYERNORM_FORWARD, blocksForRows(rows), 1, ROWS_PER_BLOCK * WARP, 1,
                ptr(x), ptr(w), ptr(bias), ptr(out), ptr(mean), ptr(rstd), rows, n, eps);
    }

    /** LayerNorm over the last dimension, keeping mean and rstd ([rows]) for {@link #layerNormBackward}. */
    public static LayerNormResult layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        CudaBackend b = backend(x);
        int n = x.dim(-1), rows = x.numel() / n;
        Tensor xd = b.denseF32(x), w = weight == null ? null : b.denseF32(weight), bb = bias == null ? null : b.denseF32(bias);
        try {
            Tensor out = emptyLike(b, x.dims()), mean = emptyLike(b, rows), rstd = emptyLike(b, rows);
            layerNormForward(b, xd, w, bb, out, mean, rstd, rows, n, eps);
            return new LayerNormResult(out, mean, rstd);
        } finally {
            CudaBackend.closeIfCopy(xd, x);
            CudaBackend.closeIfCopy(w, weight);
            CudaBackend.closeIfCopy(bb, bias);
        }
    }

    /** Rows summed by one block of the dw/db column reduction. */
    static final int LN_ROWS_PER_CHUNK = 256;

    public static LayerNormGrads layerNormBackward(Tensor dy, Tensor x, Tensor weight, Tensor mean, Tensor rstd, boolean wantWeight, boolean wantBias) {
        CudaBackend b = backend(x);
        int n = x.dim(-1), rows = x.numel() / n;
        Tensor gd = b.denseF32(dy), xd = b.denseF32(x), w = weight == null ? null : b.denseF32(weight);
        Tensor partW = null, partB = null;
        try {
            Tensor dx = emptyLike(b, x.dims());
            b.launch2d(Kernel.LAYERNORM_BACKWARD_DX, blocksForRows(rows), 1, ROWS_PER_BLOCK * WARP, 1,
                    ptr(gd), ptr(xd), ptr(w), ptr(mean), ptr(rstd), ptr(dx), rows, n);
            Tensor dw = null, db = null;
            if (wantWeight || wantBias) {
                int chunks = Math.max(1, (rows + LN_ROWS_PER_CHUNK - 1) / LN_ROWS_PER_CHUNK);
                partW = emptyLike(b, chunks, n);
                partB = emptyLike(b, chunks, n);
                b.launch2d(Kernel.LAYERNORM_BACKWARD_DWDB_PARTIAL, (n + WARP - 1) / WARP, chunks, WARP, 8,
                        ptr(gd), ptr(xd), ptr(mean), ptr(rstd), ptr(partW), ptr(partB), rows, n, LN_ROWS_PER_CHUNK);
                dw = wantWeight ? emptyLike(b, n) : null;
                db = wantBias ? emptyLike(b, n) : null;
                b.launch(Kernel.LAYERNORM_BACKWARD_DWDB_FINISH, n, ptr(partW), ptr(partB), ptr(dw), ptr(db), chunks, n);
            }
            return new LayerNormGrads(dx, dw, db);
        } finally {
            CudaBackend.closeIfCopy(gd, dy);
            CudaBackend.closeIfCopy(xd, x);
            CudaBackend.closeIfCopy(w, weight);
            if (partW != null) partW.close();
            if (partB != null) partB.close();
        }
    }

    // ---------------------------------------------------------------- QuickGELU

    public static Tensor quickGelu(Tensor x) {
        CudaBackend b = backend(x);
        Tensor xd = b.denseF32(x);
        try {
            Tensor y = emptyLike(b, x.dims());
            if (x.numel() > 0) b.launch(Kernel.QUICK_GELU_FORWARD, x.numel(), ptr(xd), ptr(y), x.numel());
            return y;
        } finally {
            CudaBackend.closeIfCopy(xd, x);
        }
    }

    public static Tensor quickGeluBackward(Tensor x, Tensor dy) {
        CudaBackend b = backend(x);
        Tensor xd = b.denseF32(x), gd = b.denseF32(dy);
        try {
            Tensor dx = emptyLike(b, x.dims());
            if (x.numel() > 0) b.launch(Kernel.QUICK_GELU_BACKWARD, x.numel(), ptr(xd), ptr(gd), ptr(dx), x.numel());
            return dx;
        } finally {
            CudaBackend.closeIfCopy(xd, x);
            CudaBackend.closeIfCopy(gd, dy);
        }
    }

    // ---------------------------------------------------------------- losses

    /** Per-row cross-entropy of logits [rows, C] against I32 targets [rows]. */
    public static CrossEntropyResult crossEntropy(Tensor logits, Tensor targets) {
        CudaBackend b = backend(logits);
        int rows = logits.dim(0), C = logits.dim(1);
        Tensor xd = b.denseF32(logits), td = denseI32(b, targets);
        try {
            Tensor loss = emptyLike(b, rows), lse = emptyLike(b, rows);
            long flag = b.device().resetFlag();
            b.launch2d(Kernel.CROSS_ENTROPY_FORWARD, blocksForRows(rows), 1, ROWS_PER_BLOCK * WARP, 1,
                    ptr(xd), ptr(td), ptr(loss), ptr(lse), rows, C, new KernelModule.Dev(flag));
            int bad = b.device().readFlag();
            if (bad != 0) throw new IndexOutOfBoundsException("cross_entropy on cuda: target of row " + (bad - 1) + " is outside [0, " + C + ")");
            return new CrossEntropyResult(loss, lse);
        } finally {
            CudaBackend.closeIfCopy(xd, logits);
            CudaBackend.closeIfCopy(td, targets);
        }
    }

    /** dlogits = (softmax - onehot) * dloss[row]. */
    public static Tensor crossEntropyBackward(Tensor logits, Tensor targets, Tensor lse, Tensor dloss) {
        CudaBackend b = backend(logits);
        int rows = logits.dim(0), C = logits.dim(1);
        Tensor xd = b.denseF32(logits), td = denseI32(b, targets), gd = b.denseF32(dloss);
        try {
            Tensor dx = emptyLike(b, rows, C);
            b.launch(Kernel.CROSS_ENTROPY_BACKWARD, (long) rows * C, ptr(xd), ptr(td), ptr(lse), ptr(gd), ptr(dx), rows, C);
            return dx;
        } finally {
            CudaBackend.closeIfCopy(xd, logits);
            CudaBackend.closeIfCopy(td, targets);
            CudaBackend.closeIfCopy(gd, dloss);
        }
    }

    /** KL(softmax(teacher / T) || softmax(student / T)) per row of [rows, C]. */
    public static Tensor softmaxKl(Tensor teacher, Tensor student, float temperature) {
        CudaBackend b = backend(student);
        int rows = student.dim(0), C = student.dim(1);
        Tensor td = b.denseF32(teacher), sd = b.denseF32(student);
        try {
            Tensor kl = emptyLike(b, rows);
            b.launch2d(Kernel.SOFTMAX_KL_FORWARD, blocksForRows(rows), 1, ROWS_PER_BLOCK * WARP, 1, ptr(td), ptr(sd), ptr(kl), rows, C, 1.0f / temperature);
            return kl;
        } finally {
            CudaBackend.closeIfCopy(td, teacher);
            CudaBackend.closeIfCopy(sd, student);
        }
    }

    /** Gradient of {@link #softmaxKl} for the student's logits: (q - p) / T * dkl[row]. */
    public static Tensor softmaxKlBackward(Tensor teacher, Tensor student, Tensor dkl, float temperature) {
        CudaBackend b = backend(student);
        int rows = student.dim(0), C = student.dim(1);
        Tensor td = b.denseF32(teacher), sd = b.denseF32(student), gd = b.denseF32(dkl);
        try {
            Tensor ds = emptyLike(b, rows, C);
            b.launch2d(Kernel.SOFTMAX_KL_BACKWARD, blocksForRows(rows), 1, ROWS_PER_BLOCK * WARP, 1,
                    ptr(td), ptr(sd), ptr(gd), ptr(ds), rows, C, 1.0f / temperature);
            return ds;
        } finally {
            CudaBackend.closeIfCopy(td, teacher);
            CudaBackend.closeIfCopy(sd, student);
            CudaBackend.closeIfCopy(gd, dkl);
        }
    }

    // ---------------------------------------------------------------- AdamW

    /**
     * One AdamW step (torch.optim.AdamW) in place on dense F32 param, m and v with gradient grad;
     * step is 1-based. paramBf16, if not null, receives the updated parameter in BF16.
     */
    public static void adamwStep(Tensor param, Tensor grad, Tensor m, Tensor v, Tensor paramBf16, float lr, float beta1, float beta2,
                                 float eps, float weightDecay, int step, float gradScale) {
        CudaBackend b = backend(param);
        for (Tensor t : new Tensor[] {param, m, v}) {
            if (t.dtype() != DType.F32 || !t.isContiguous() || t.numel() != param.numel()) {
                throw new IllegalArgumentException("adamw on cuda: param, m and v must be dense F32 of " + param.numel() + " elements, got " + t.dtype() + " " + t.shape());
            }
        }
        if (paramBf16 != null && (paramBf16.dtype() != DType.BF16 || !paramBf16.isContiguous() || paramBf16.numel() != param.numel())) {
            throw new IllegalArgumentException("adamw on cuda: the BF16 copy must be dense BF16 of " + param.numel() + " elements, got " + paramBf16.dtype() + " " + paramBf16.shape());
        }
        if (step < 1) throw new IllegalArgumentException("adamw: step must be >= 1, got " + step);
        Tensor gd = b.denseF32(grad);
        try {
            float bc1 = (float) (1 - Math.pow(beta1, step)), bc2 = (float) (1 - Math.pow(beta2, step));
            float[] h = {lr, beta1, beta2, eps, weightDecay, bc1, bc2, gradScale};
            if (param.numel() > 0) b.launch(Kernel.ADAMW_STEP, param.numel(), ptr(param), ptr(gd), ptr(m), ptr(v), ptr(paramBf16), param.numel(), h);
        } finally {
            CudaBackend.closeIfCopy(gd, grad);
        }
    }

    private static Tensor denseI32(CudaBackend b, Tensor t) {
        if (t.dtype() == DType.I32 && t.isContiguous() && t.device().equals(b.deviceId())) return t;
        Tensor out = Tensor.empty(DType.I32, b.deviceId(), t.shape());
        b.copy(t, out);
        return out;
    }
}

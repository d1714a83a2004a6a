package clipcl.tensor.cpu;

import clipcl.tensor.AdamStep;
import clipcl.tensor.SgdStep;
import clipcl.tensor.Tensor;
import clipcl.tensor.UnaryOp;

/**
 * The CPU's training kernels, one entry per {@link clipcl.tensor.Backend} training method; both CPU
 * backends (reference and vector) run them. Operands are host tensors; outputs are the fresh
 * contiguous tensors the front end allocated.
 */
public final class HostTraining {
    private HostTraining() { }

    public static void softmaxBackward(Tensor y, Tensor g, int dim, boolean log, double scale, Tensor dx) {
        RowKernels.softmaxBackward(y, g, dim, log, scale, dx);
    }

    public static void maskedSoftmax(Tensor x, Tensor mask, double scale, Tensor out) { RowKernels.maskedSoftmax(x, mask, scale, out); }

    public static void layerNormBackward(Tensor g, Tensor x, Tensor w, double eps, Tensor dx, Tensor dw, Tensor db) {
        LayerNormBackward.run(g, x, w, eps, dx, dw, db);
    }

    public static void crossEntropy(Tensor logits, Tensor targets, Tensor loss, Tensor lse) { RowKernels.crossEntropy(logits, targets, loss, lse); }

    public static void crossEntropyBackward(Tensor logits, Tensor targets, Tensor lse, Tensor dloss, Tensor dx) {
        RowKernels.crossEntropyBackward(logits, targets, lse, dloss, dx);
    }

    public static void softmaxKl(Tensor o, Tensor n, double t, Tensor kl) { RowKernels.softmaxKl(o, n, t, kl, null, null, null); }

    public static void softmaxKlBackward(Tensor o, Tensor n, double t, Tensor dkl, Tensor dOld, Tensor dNew) {
        if (dOld != null || dNew != null) RowKernels.softmaxKl(o, n, t, null, dkl, dOld, dNew);
    }

    public static void unaryBackward(UnaryOp op, Tensor saved, Tensor g, Tensor dx) { PointwiseBackward.unary(op, saved, g, dx); }

    public static void clampBackward(Tensor x, Tensor g, double lo, double hi, Tensor dx) { PointwiseBackward.clamp(x, g, lo, hi, dx); }

    /** The SGEMM-with-bias fast path; false when it does not apply (the caller composes instead). */
    public static boolean linear(Tensor x, Tensor w, Tensor b, Tensor out) {
        if (!CpuLinear.applies(x, w, b, out)) return false;
        CpuLinear.forward(x, w, b, out);
        return true;
    }

    public static void scatterAdd(Tensor dst, int dim, Tensor index, Tensor src) { ScatterAdd.run(dst, dim, index, src); }

    public static void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, AdamStep c) { HostOptim.adam(p, g, m, v, c); }

    public static void sgdStep(Tensor p, Tensor g, Tensor buf, SgdStep c) { HostOptim.sgd(p, g, buf, c); }

    public static void sumSquares(Tensor x, Tensor out) { HostOptim.sumSquares(x, out); }
}

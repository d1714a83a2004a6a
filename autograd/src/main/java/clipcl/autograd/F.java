package clipcl.autograd;

import clipcl.autograd.ops.CrossEntropy;
import clipcl.autograd.ops.LayerNormFn;
import clipcl.autograd.ops.LinearFn;
import clipcl.autograd.ops.QuickGelu;
import clipcl.autograd.ops.ScaledDotProductAttention;
import clipcl.autograd.ops.SoftmaxKl;
import clipcl.tensor.Tensor;

/**
 * Functional forms of the composite and fused operations (the model code's vocabulary). Fused
 * primitives have hand-written backward passes (see {@code clipcl.autograd.ops}); composites are
 * built from primitives.
 */
public final class F {
    private F() { }

    /** y = x W^T + b (PyTorch's nn.Linear layout: W [out, in], b [out] or null); fused backward. */
    public static Var linear(Var x, Var weight, Var bias) { return LinearFn.apply(x, weight, bias); }

    /**
     * softmax(q k^T / sqrt(Dh) + mask) v for q [..,Sq,Dh], k, v [..,Sk,Dh] (e.g. [B,H,S,Dh]);
     * additiveMask is a constant broadcast to [..,Sq,Sk] (e.g. [S,S] causal, -inf above the
     * diagonal) or null. Fused forward (scale, mask, softmax in one pass) and backward.
     */
    public static Var scaledDotProductAttention(Var q, Var k, Var v, Tensor additiveMask) {
        return ScaledDotProductAttention.apply(q, k, v, additiveMask);
    }

    /**
     * An [S,S] mask with -inf above the diagonal and 0 elsewhere (causal attention), in dtype, on the
     * CPU (modules register it as a buffer, which {@code Module.to} moves with the parameters).
     */
    public static Tensor causalMask(int s, clipcl.tensor.DType dtype) {
        Tensor m = Tensor.zeros(dtype, clipcl.tensor.Device.CPU, s, s);
        for (int i = 0; i < s; i++) for (int j = i + 1; j < s; j++) m.set(Double.NEGATIVE_INFINITY, i, j);
        return m;
    }

    /** Mean cross-entropy of logits [N,C] against class indices [N] (log-softmax + NLL fused). */
    public static Var crossEntropy(Var logits, int[] targets) { return CrossEntropy.apply(logits, targets); }

    /** Mean cross-entropy with targets as an I32 tensor [N]. */
    public static Var crossEntropy(Var logits, Tensor targets) {
        if (targets.dtype() != clipcl.tensor.DType.I32) throw new IllegalArgumentException("cross_entropy: targets must be I32, got " + targets.dtype() + " " + targets.shape());
        if (targets.rank() != 1) throw new IllegalArgumentException("cross_entropy: targets must be 1-D [N], got " + targets.shape());
        return CrossEntropy.apply(logits, targets);
    }

    /**
     * KL(softmax(teacher/T) || softmax(student/T)) along the last dim, summed over rows and divided
     * by the batch size (dim 0; torch's kl_div(log_softmax(student/T), softmax(teacher/T),
     * reduction="batchmean")). Not multiplied by T^2: callers that want Hinton's scaling do it.
     * Gradients flow to the student, and to the teacher too if it requires one.
     */
    public static Var softmaxKl(Var teacherLogits, Var studentLogits, double temperature) {
        return SoftmaxKl.apply(teacherLogits, studentLogits, temperature, true);
    }

    /** As {@link #softmaxKl} but summed over rows (reduction "sum"). */
    public static Var softmaxKlSum(Var teacherLogits, Var studentLogits, double temperature) {
        return SoftmaxKl.apply(teacherLogits, studentLogits, temperature, false);
    }

    /** Fused LayerNorm over the last dimension (weight, bias may be null). */
    public static Var layerNorm(Var x, Var weight, Var bias, double eps) { return LayerNormFn.apply(x, weight, bias, eps); }

    /** Fused QuickGELU x sigmoid(1.702 x). */
    public static Var quickGelu(Var x) { return QuickGelu.apply(x); }

    /** Rows of table [V,D] picked by I32 ids of any shape -> [..., D]; backward scatter-adds into the table. */
    public static Var embedding(Var table, Tensor ids) {
        if (table.rank() != 2) throw new IllegalArgumentException("embedding: table must be 2-D [vocab, dim], got " + table.shape());
        int[] idd = ids.dims();
        int[] od = java.util.Arrays.copyOf(idd, idd.length + 1);
        od[idd.length] = table.dim(1);
        try (Tensor flat = ids.reshape(-1)) {
            return table.indexSelect(0, flat).reshape(od);
        }
    }

    /**
     * conv2d with stride = kernel and no padding, x [B,C,H,W], weight [O,C,P,P], bias [O] or null ->
     * [B,O,H/P,W/P]: unfold patches (reshape/permute), one matmul, fold back.
     */
    public static Var patchConv2d(Var x, Var weight, Var bias) {
        String what = "conv2d (patch) of input " + x.shape() + " and weight " + weight.shape();
        int[] dims = clipcl.tensor.Conv.checkPatch(what, x.shape(), weight.shape(), bias == null ? null : bias.shape(), bias == null ? null : bias.shape().toString());
        int b = dims[0], c = dims[1], gh = dims[2], gw = dims[3], o = dims[4], p = dims[5];
        Var xc = gh * p == x.dim(2) && gw * p == x.dim(3) ? x : x.narrow(2, 0, gh * p).narrow(3, 0, gw * p);
        // [B,C,gh,P,gw,P] -> [B,gh,gw,C,P,P] -> [B*gh*gw, C*P*P]
        Var patches = xc.reshape(b, c, gh, p, gw, p).permute(0, 2, 4, 1, 3, 5).reshape(b * gh * gw, c * p * p);
        Var y = patches.matmul(weight.reshape(o, c * p * p).mT());   // [B*gh*gw, O]
        if (bias != null) y = y.add(bias);
        return y.reshape(b, gh, gw, o).permute(0, 3, 1, 2);          // [B,O,gh,gw]
    }

    /** conv2d(x [B,C,H,W], weight [O,C,KH,KW], bias [O] or null) with stride and zero padding, groups = 1. */
    public static Var conv2d(Var x, Var weight, Var bias, int stride, int padding) {
        return clipcl.autograd.ops.Conv2dFn.apply(x, weight, bias, stride, padding);
    }

    /** avg_pool2d(x, kernel, stride) without padding (torch's floor mode). */
    public static Var avgPool2d(Var x, int kernel, int stride) { return clipcl.autograd.ops.AvgPool2dFn.apply(x, kernel, stride); }

    /**
     * torch's functional batch_norm over dim 1: batch statistics when training (updating the running
     * buffers, if given, with momentum), the running statistics otherwise.
     */
    public static Var batchNorm(Var x, Tensor runningMean, Tensor runningVar, Var weight, Var bias, boolean training, double momentum, double eps) {
        return clipcl.autograd.ops.BatchNorm.apply(x, runningMean, runningVar, weight, bias, training, momentum, eps);
    }
}

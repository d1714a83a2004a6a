package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.Arrays;

/**
 * Batch normalisation of x [B, C, ...] per channel (dim 1), as torch's functional batch_norm.
 * Batch statistics (training): y = (x - mean) / sqrt(var + eps) * w + b with the biased variance
 * over every dimension but 1; the running buffers, when given, become
 * (1 - momentum) running + momentum batch (the unbiased variance, as torch keeps).
 * Running statistics (eval, or frozen): y = (x - running_mean) / sqrt(running_var + eps) * w + b,
 * the statistics constants. Backward of the batch-statistics form, with xhat the normalised x:
 * dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)), dxhat = g w; dw = sum(g xhat);
 * db = sum(g). Tensor operations only (any backend).
 */
public final class BatchNorm extends Function {
    private Tensor xhat, rstd, w;
    private int[] reduce;
    private boolean batchStats, hasW, hasB;

    /**
     * @param runningMean, runningVar [C] buffers, read in eval mode and updated in place in training
     *     mode (may be null in training mode: then nothing is tracked)
     * @param weight, bias [C] or null
     */
    public static Var apply(Var x, Tensor runningMean, Tensor runningVar, Var weight, Var bias,
                            boolean training, double momentum, double eps) {
        if (x.rank() < 2) throw new IllegalArgumentException("batch_norm: input must be [B, C, ...], got " + x.shape());
        int c = x.dim(1);
        checkVector("weight", weight == null ? null : weight.data(), c, x);
        checkVector("bias", bias == null ? null : bias.data(), c, x);
        checkVector("running_mean", runningMean, c, x);
        checkVector("running_var", runningVar, c, x);
        if (!training && (runningMean == null || runningVar == null)) throw new IllegalArgumentException("batch_norm: eval mode needs running_mean and running_var");
        BatchNorm f = new BatchNorm();
        f.connectPresent(x, weight, bias);
        f.hasW = weight != null;
        f.hasB = bias != null;
        f.batchStats = training;
        int[] bshape = new int[x.rank()];
        Arrays.fill(bshape, 1);
        bshape[1] = c;
        f.reduce = new int[x.rank() - 1];
        for (int i = 0, j = 0; i < x.rank(); i++) if (i != 1) f.reduce[j++] = i;
        long n = x.numel() / Math.max(1, c);
        if (training && n <= 1) throw new IllegalArgumentException("batch_norm: training needs more than one value per channel, got input " + x.shape());
        try (Scope s = Scope.open()) {
            Tensor xd = x.data();
            Tensor mean, rstd;
            if (training) {
                mean = xd.mean(f.reduce, true);                                   // [1,C,1,..]
                Tensor var = xd.sub(mean).square().mean(f.reduce, true);
                rstd = var.add(eps).rsqrt();
                if (runningMean != null && runningVar != null) {
                    Tensor bm = mean.reshape(c), bv = var.reshape(c).mul((double) n / (n - 1));
                    runningMean.copyFrom(runningMean.mul(1 - momentum).add(bm.mul(momentum)));
                    runningVar.copyFrom(runningVar.mul(1 - momentum).add(bv.mul(momentum)));
                }
            } else {
                mean = runningMean.reshape(bshape);
                rstd = runningVar.reshape(bshape).add(eps).rsqrt();
            }
            // y = x * scale + shift, scale = rstd w and shift = b - mean scale per channel: two passes over x.
            Tensor scale = weight == null ? rstd : rstd.mul(weight.data().reshape(bshape));
            Tensor shift = mean.mul(scale).neg();
            if (bias != null) shift = shift.add(bias.data().reshape(bshape));
            Tensor y = xd.mul(scale).add(shift);
            if (f.anyNeedsGrad()) {
                if (f.hasW && f.needsGrad(1) || training && f.needsGrad(0)) f.xhat = f.save(xd.sub(mean).mul(rstd));
                if (f.needsGrad(0)) {
                    f.rstd = f.save(rstd);
                    if (weight != null) f.w = f.save(weight.data().reshape(bshape));
                }
            }
            return f.output(s.keep(y));
        }
    }

    private static void checkVector(String what, Tensor t, int c, Var x) {
        if (t != null && (t.rank() != 1 || t.dim(0) != c)) throw new IllegalArgumentException("batch_norm: " + what + " must be [" + c + "] for input " + x.shape() + ", got " + t.shape());
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor[] out = new Tensor[1 + (hasW ? 1 : 0) + (hasB ? 1 : 0)];
        try (Scope s = Scope.open()) {
            if (needsGrad(0)) {
                Tensor dxhat = w == null ? g : g.mul(w);
                Tensor dx;
                if (batchStats) {
                    Tensor m1 = dxhat.mean(reduce, true), m2 = dxhat.mul(xhat).mean(reduce, true);
                    dx = dxhat.sub(m1).sub(xhat.mul(m2)).mul(rstd);
                } else {
                    dx = dxhat.mul(rstd);
                }
                out[0] = s.keep(dx == g ? g.copy() : dx);
            }
            if (hasW && needsGrad(1)) out[1] = s.keep(g.mul(xhat).sum(reduce, false));
            if (hasB && needsGrad(hasW ? 2 : 1)) out[hasW ? 2 : 1] = s.keep(g.sum(reduce, false));
        }
        return out;
    }
}

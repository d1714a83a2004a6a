package clipcl.autograd.nn;

import clipcl.autograd.F;
import clipcl.autograd.Var;
import clipcl.tensor.DType;
import clipcl.tensor.Tensor;

/**
 * torch.nn.BatchNorm2d: weight (init 1), bias (init 0), and the buffers running_mean (0),
 * running_var (1) and num_batches_tracked, under torch's names. In training mode it normalises with
 * the batch's statistics and updates the running ones (momentum 0.1); in eval mode it uses the
 * running ones. A frozen BatchNorm always uses the running statistics and never updates them,
 * whatever the mode (for fine-tuning with small batches); its weight and bias still train unless
 * frozen as parameters.
 */
public final class BatchNorm2d extends Module implements Layer {
    private final int channels;
    private final double eps, momentum;
    private boolean frozen;

    public BatchNorm2d(int channels, double eps, double momentum, Init init) {
        if (channels <= 0) throw new IllegalArgumentException("BatchNorm2d: channels must be positive, got " + channels);
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        registerParameter("weight", init.ones(channels));
        registerParameter("bias", init.zeros(channels));
        registerBuffer("running_mean", init.zeros(channels), true);
        registerBuffer("running_var", init.ones(channels), true);
        registerBuffer("num_batches_tracked", Tensor.zeros(DType.I32, init.device()), true);
    }

    public BatchNorm2d(int channels, Init init) { this(channels, 1e-5, 0.1, init); }

    public Var weight() { return param("weight"); }

    public Tensor runningMean() { return buffer("running_mean"); }

    public Tensor runningVar() { return buffer("running_var"); }

    public int batchesTracked() { return (int) buffer("num_batches_tracked").item(); }

    public boolean isFrozen() { return frozen; }

    /** Frozen: running statistics always, never updated. */
    public BatchNorm2d setFrozen(boolean frozen) {
        this.frozen = frozen;
        return this;
    }

    /** x [B, C, H, W] -> the same shape. */
    @Override
    public Var forward(Var x) {
        if (x.rank() != 4 || x.dim(1) != channels) throw new IllegalArgumentException("BatchNorm2d(" + channels + "): input must be [B, " + channels + ", H, W], got " + x.shape());
        boolean batchStats = isTraining() && !frozen;
        Var y = F.batchNorm(x, runningMean(), runningVar(), param("weight"), param("bias"), batchStats, momentum, eps);
        if (batchStats) {
            Tensor n = buffer("num_batches_tracked");
            n.fill(n.item() + 1);
        }
        return y;
    }
}

package clipcl.autograd.nn;

import clipcl.autograd.F;
import clipcl.autograd.Var;

/**
 * torch.nn.Conv2d with groups = 1 and no dilation: weight [out, in, k, k], bias [out] (optional),
 * square stride and zero padding; torch's default (Kaiming-uniform, a = sqrt(5)) initialisation.
 */
public final class Conv2d extends Module implements Layer {
    private final int in, out, kernel, stride, padding;

    public Conv2d(int in, int out, int kernel, int stride, int padding, boolean bias, Init init) {
        if (in <= 0 || out <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("Conv2d: sizes must be positive, got in " + in + ", out " + out + ", kernel " + kernel + ", stride " + stride + ", padding " + padding);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        int fanIn = in * kernel * kernel;
        registerParameter("weight", init.linearDefault(fanIn, out, in, kernel, kernel));
        if (bias) registerParameter("bias", init.linearDefault(fanIn, out));
    }

    public int inChannels() { return in; }

    public int outChannels() { return out; }

    public Var weight() { return param("weight"); }

    /** x [B, in, H, W] -> [B, out, (H + 2p - k) / s + 1, (W + 2p - k) / s + 1]. */
    @Override
    public Var forward(Var x) {
        if (x.rank() != 4 || x.dim(1) != in) throw new IllegalArgumentException("Conv2d(" + in + " -> " + out + ", k" + kernel + "): input must be [B, " + in + ", H, W], got " + x.shape());
        return F.conv2d(x, weight(), paramOrNull("bias"), stride, padding);
    }
}

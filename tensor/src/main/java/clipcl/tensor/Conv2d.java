package clipcl.tensor;

/**
 * General 2-D convolution (square stride and zero padding, groups = 1, no dilation) as im2col onto
 * the backend's matrix product: the windows of the (padded) input are read through one strided
 * view [B, C, KH, KW, OH, OW] of its storage, copied into columns [B, C*KH*KW, OH*OW], and
 * multiplied by the weight [O, C*KH*KW] (on the CPU that product is the packed SGEMM). Only tensor
 * operations are used, so any backend runs it. Batches are cut into chunks so the columns stay
 * near {@link #columnBudget} elements. A 1x1 convolution with stride 1 and no padding needs no
 * columns: the input itself is [B, C, H*W].
 */
public final class Conv2d {
    /** Elements of im2col columns made at once (64 MiB of float32); tests lower it to exercise the chunking. */
    static volatile long columnBudget = 16L << 20;

    private Conv2d() { }

    /** Shapes of one convolution; errors name the operation and the offending shape. */
    public record Geometry(int batch, int inChannels, int height, int width, int outChannels,
                           int kernelH, int kernelW, int stride, int padding, int outH, int outW) {
        public static Geometry of(String what, Shape x, Shape weight, Shape bias, int stride, int padding) {
            if (x.rank() != 4) throw new IllegalArgumentException(what + ": input must be 4-D [B,C,H,W], got " + x);
            if (weight.rank() != 4) throw new IllegalArgumentException(what + ": weight must be 4-D [O,C,KH,KW], got " + weight);
            if (stride < 1) throw new IllegalArgumentException(what + ": stride must be >= 1, got " + stride);
            if (padding < 0) throw new IllegalArgumentException(what + ": padding must be >= 0, got " + padding);
            if (weight.dim(1) != x.dim(1)) throw new IllegalArgumentException(what + ": input " + x + " has " + x.dim(1) + " channels, weight " + weight + " expects " + weight.dim(1) + " (groups = 1 only)");
            int kh = weight.dim(2), kw = weight.dim(3);
            int hp = x.dim(2) + 2 * padding, wp = x.dim(3) + 2 * padding;
            if (hp < kh || wp < kw) throw new IllegalArgumentException(what + ": padded input " + hp + "x" + wp + " is smaller than the kernel " + kh + "x" + kw);
            if (bias != null && (bias.rank() != 1 || bias.dim(0) != weight.dim(0))) throw new IllegalArgumentException(what + ": bias must be [" + weight.dim(0) + "], got " + bias);
            return new Geometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), weight.dim(0), kh, kw, stride, padding,
                    (hp - kh) / stride + 1, (wp - kw) / stride + 1);
        }

        int patch() { return inChannels * kernelH * kernelW; }

        int pixels() { return outH * outW; }

        /** True when the input is its own column matrix. */
        boolean pointwise() { return kernelH == 1 && kernelW == 1 && stride == 1 && padding == 0; }

        /** Images per chunk of columns. */
        int chunk() { return (int) Math.max(1, Math.min(batch, columnBudget / Math.max(1L, (long) patch() * pixels()))); }
    }

    /** x [B,C,H,W], weight [O,C,KH,KW], bias [O] or null -> [B,O,OH,OW]. */
    public static Tensor forward(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        Ops.open("conv2d", x, weight, bias);
        Geometry g = Geometry.of("conv2d of input " + Ops.desc(x) + " and weight " + Ops.desc(weight), x.shape(), weight.shape(),
                bias == null ? null : bias.shape(), stride, padding);
        try (Scope s = Scope.open()) {
            Tensor w2 = weight.reshape(g.outChannels(), g.patch());                  // [O, CKK]
            Tensor out = null;
            Tensor xp = padded(x, g.padding());
            for (int b0 = 0, n = g.chunk(); b0 < g.batch(); b0 += n) {
                int nb = Math.min(n, g.batch() - b0);
                try (Scope c = Scope.open()) {
                    Tensor y = w2.matmul(columns(xp, g, b0, nb));                    // [nb, O, L]
                    if (nb == g.batch()) {
                        out = c.keep(y);
                        break;
                    }
                    if (out == null) out = c.keep(Tensor.empty(y.dtype(), y.device(), g.batch(), g.outChannels(), g.pixels()));
                    out.narrow(0, b0, nb).copyFrom(y);
                }
            }
            Tensor y = out.reshape(g.batch(), g.outChannels(), g.outH(), g.outW());
            if (bias != null) y = y.add(bias.reshape(1, g.outChannels(), 1, 1));
            return s.keep(y);
        }
    }

    /** dL/dx for gradOut [B,O,OH,OW]: weight^T times gradOut, scattered back onto the windows (col2im). */
    public static Tensor gradInput(Tensor gradOut, Tensor weight, Shape xShape, int stride, int padding) {
        Geometry g = Geometry.of("conv2d backward", xShape, weight.shape(), null, stride, padding);
        checkGrad(gradOut, g);
        try (Scope s = Scope.open()) {
            Tensor wt = weight.reshape(g.outChannels(), g.patch()).mT();              // [CKK, O]
            Tensor go = gradOut.reshape(g.batch(), g.outChannels(), g.pixels());      // [B, O, L]
            if (g.pointwise()) return s.keep(wt.matmul(go).reshape(xShape.toArray()));
            int hp = g.height() + 2 * padding, wp = g.width() + 2 * padding;
            Tensor dxp = Tensor.empty(gradOut.dtype(), gradOut.device(), g.batch(), g.inChannels(), hp, wp).fill(0.0);
            for (int b0 = 0, n = g.chunk(); b0 < g.batch(); b0 += n) {
                int nb = Math.min(n, g.batch() - b0);
                try (Scope c = Scope.open()) {
                    Tensor cols = wt.matmul(go.narrow(0, b0, nb))                        // [nb, CKK, L]
                            .reshape(nb, g.inChannels(), g.kernelH(), g.kernelW(), g.outH(), g.outW());
                    Tensor dst = dxp.narrow(0, b0, nb);
                    for (int i = 0; i < g.kernelH(); i++) {
                        for (int j = 0; j < g.kernelW(); j++) {
                            Tensor region = window(dst, i, j, g.outH(), g.outW(), stride);
                            region.copyFrom(region.add(cols.select(2, i).select(2, j)));
                        }
                    }
                }
            }
            Tensor dx = padding == 0 ? dxp : dxp.narrow(2, padding, g.height()).narrow(3, padding, g.width()).contiguous();
            return s.keep(dx);
        }
    }

    /**
     * dL/dweight [O,C,KH,KW] = sum over images of gradOut [O, L] times columns^T [L, CKK], as one
     * product per chunk with the images folded into its depth: [O, nb*L] x [nb*L, CKK] (no
     * [nb, O, CKK] of per-image products to sum).
     */
    public static Tensor gradWeight(Tensor gradOut, Tensor x, Shape weightShape, int stride, int padding) {
        Geometry g = Geometry.of("conv2d backward", x.shape(), weightShape, null, stride, padding);
        checkGrad(gradOut, g);
        try (Scope s = Scope.open()) {
            Tensor go = gradOut.reshape(g.batch(), g.outChannels(), g.pixels());      // [B, O, L]
            Tensor xp = padded(x, padding);
            Tensor dw = null;
            for (int b0 = 0, n = g.chunk(); b0 < g.batch(); b0 += n) {
                int nb = Math.min(n, g.batch() - b0);
                try (Scope c = Scope.open()) {
                    Tensor gt = go.narrow(0, b0, nb).permute(1, 0, 2).reshape(g.outChannels(), nb * g.pixels()); // [O, nb*L]
                    Tensor part = gt.matmul(rows(xp, g, b0, nb));                                               // [O, CKK]
                    Tensor acc = dw == null ? part : dw.add(part);
                    c.keep(acc);
                    if (dw != null) dw.close();
                    dw = acc;
                }
            }
            return s.keep(dw.reshape(weightShape.toArray()));
        }
    }

    private static void checkGrad(Tensor gradOut, Geometry g) {
        if (gradOut.rank() != 4 || gradOut.dim(0) != g.batch() || gradOut.dim(1) != g.outChannels() || gradOut.dim(2) != g.outH() || gradOut.dim(3) != g.outW()) {
            throw new IllegalArgumentException("conv2d backward: gradient " + gradOut.shape() + " does not match the output [" + g.batch() + ", "
                    + g.outChannels() + ", " + g.outH() + ", " + g.outW() + "]");
        }
    }

    /** x with zeros around its two spatial dimensions (x itself when padding is 0). */
    static Tensor padded(Tensor x, int padding) {
        if (padding == 0) return x;
        int h = x.dim(2), w = x.dim(3);
        Tensor xp = Tensor.empty(x.dtype(), x.device(), x.dim(0), x.dim(1), h + 2 * padding, w + 2 * padding).fill(0.0);
        xp.narrow(2, padding, h).narrow(3, padding, w).copyFrom(x);
        return xp;
    }

    /** Columns [nb, C*KH*KW, OH*OW] of images b0 .. b0+nb-1 of the padded input. */
    static Tensor columns(Tensor xp, Geometry g, int b0, int nb) {
        Tensor img = xp.narrow(0, b0, nb);
        if (g.pointwise()) return img.reshape(nb, g.inChannels(), g.pixels());
        int[] st = img.strides();
        int s = g.stride();
        Tensor win = Tensor.wrap(img.storage(), Shape.of(nb, g.inChannels(), g.kernelH(), g.kernelW(), g.outH(), g.outW()),
                new int[] {st[0], st[1], st[2], st[3], s * st[2], s * st[3]}, img.offset());
        return win.reshape(nb, g.patch(), g.pixels());
    }

    /** The columns transposed, [nb*OH*OW, C*KH*KW]: one row per output pixel of images b0 .. b0+nb-1. */
    static Tensor rows(Tensor xp, Geometry g, int b0, int nb) {
        Tensor img = xp.narrow(0, b0, nb);
        if (g.pointwise()) return img.reshape(nb, g.inChannels(), g.pixels()).permute(0, 2, 1).reshape(nb * g.pixels(), g.inChannels());
        int[] st = img.strides();
        int s = g.stride();
        Tensor win = Tensor.wrap(img.storage(), Shape.of(nb, g.outH(), g.outW(), g.inChannels(), g.kernelH(), g.kernelW()),
                new int[] {st[0], s * st[2], s * st[3], st[1], st[2], st[3]}, img.offset());
        return win.reshape(nb * g.pixels(), g.patch());
    }

    /** The [N, C, oh, ow] view of t [N, C, H, W] at rows i + stride*r, columns j + stride*q. */
    static Tensor window(Tensor t, int i, int j, int oh, int ow, int stride) {
        int[] st = t.strides();
        return Tensor.wrap(t.storage(), Shape.of(t.dim(0), t.dim(1), oh, ow),
                new int[] {st[0], st[1], stride * st[2], stride * st[3]}, t.offset() + i * st[2] + j * st[3]);
    }
}

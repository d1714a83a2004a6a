package clipcl.tensor;

/**
 * Average pooling over square windows (kernel k, stride s, no padding, windows that do not fit
 * dropped as torch's floor mode does), through a strided view [B, C, OH, OW, k, k] of the input's
 * storage and a mean over its last two dimensions; tensor operations only, so any backend runs it.
 */
public final class AvgPool2d {
    private AvgPool2d() { }

    /** {OH, OW} for input [B,C,H,W]; errors name the shapes. */
    public static int[] outSize(Shape x, int kernel, int stride) {
        if (x.rank() != 4) throw new IllegalArgumentException("avg_pool2d: input must be 4-D [B,C,H,W], got " + x);
        if (kernel < 1 || stride < 1) throw new IllegalArgumentException("avg_pool2d: kernel and stride must be >= 1, got " + kernel + " and " + stride);
        if (x.dim(2) < kernel || x.dim(3) < kernel) throw new IllegalArgumentException("avg_pool2d: input " + x + " is smaller than the kernel " + kernel + "x" + kernel);
        return new int[] {(x.dim(2) - kernel) / stride + 1, (x.dim(3) - kernel) / stride + 1};
    }

    /** x [B,C,H,W] -> [B,C,OH,OW]. */
    public static Tensor forward(Tensor x, int kernel, int stride) {
        Ops.open("avg_pool2d", x);
        int[] o = outSize(x.shape(), kernel, stride);
        int[] st = x.strides();
        try (Scope s = Scope.open()) {
            Tensor win = Tensor.wrap(x.storage(), Shape.of(x.dim(0), x.dim(1), o[0], o[1], kernel, kernel),
                    new int[] {st[0], st[1], stride * st[2], stride * st[3], st[2], st[3]}, x.offset());
            return s.keep(win.mean(new int[] {4, 5}, false));
        }
    }

    /** dL/dx [B,C,H,W] for gradOut [B,C,OH,OW]: each window gets gradOut / k^2, overlapping windows add. */
    public static Tensor backward(Tensor gradOut, Shape xShape, int kernel, int stride) {
        int[] o = outSize(xShape, kernel, stride);
        if (gradOut.rank() != 4 || gradOut.dim(0) != xShape.dim(0) || gradOut.dim(1) != xShape.dim(1) || gradOut.dim(2) != o[0] || gradOut.dim(3) != o[1]) {
            throw new IllegalArgumentException("avg_pool2d backward: gradient " + gradOut.shape() + " does not match the output of input " + xShape);
        }
        try (Scope s = Scope.open()) {
            Tensor share = gradOut.div((double) kernel * kernel);
            Tensor dx = Tensor.empty(share.dtype(), gradOut.device(), xShape.toArray()).fill(0.0);
            for (int i = 0; i < kernel; i++) {
                for (int j = 0; j < kernel; j++) {
                    Tensor region = Conv2d.window(dx, i, j, o[0], o[1], stride);
                    if (kernel <= stride) region.copyFrom(share);   // windows do not overlap
                    else region.copyFrom(region.add(share));
                }
            }
            return s.keep(dx);
        }
    }
}

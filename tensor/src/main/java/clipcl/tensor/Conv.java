package clipcl.tensor;

/** Convolutions CLIP needs: the ViT patch embedding, a conv2d whose stride equals its kernel. */
public final class Conv {
    private Conv() { }

    /**
     * conv2d(x, weight, bias, stride = kernel, no padding) for x [B,C,H,W], weight [O,C,P,P] ->
     * [B,O,H/P,W/P] (trailing pixels that do not fill a patch are dropped, as torch does). Computed
     * as one GEMM over the unfolded patches.
     */
    /**
     * Checks the shapes of a patch conv2d (input [B,C,H,W], weight [O,C,P,P], bias [O] or null) and
     * returns {B, C, gh, gw, O, P} with gh = H / P, gw = W / P; errors start with what. Shared by
     * this op and the autograd one.
     */
    public static int[] checkPatch(String what, Shape x, Shape weight, Shape bias, String biasDesc) {
        if (x.rank() != 4 || weight.rank() != 4) throw new IllegalArgumentException(what + ": needs 4-D input [B,C,H,W] and weight [O,C,P,P]");
        int b = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int o = weight.dim(0), p = weight.dim(2);
        if (weight.dim(1) != c) throw new IllegalArgumentException(what + ": input has " + c + " channels, weight expects " + weight.dim(1));
        if (weight.dim(3) != p) throw new IllegalArgumentException(what + ": kernel must be square");
        if (h < p || w < p) throw new IllegalArgumentException(what + ": image smaller than one patch");
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != o)) throw new IllegalArgumentException(what + ": bias " + biasDesc + " must be [" + o + "]");
        return new int[] {b, c, h / p, w / p, o, p};
    }

    public static Tensor patchConv2d(Tensor x, Tensor weight, Tensor bias) {
        String what = "conv2d (patch) of input " + Ops.desc(x) + " and weight " + Ops.desc(weight);
        Ops.open("conv2d", x, weight, bias);
        int[] g = checkPatch(what, x.shape(), weight.shape(), bias == null ? null : bias.shape(), bias == null ? null : Ops.desc(bias));
        int b = g[0], c = g[1], gh = g[2], gw = g[3], o = g[4], p = g[5];
        Tensor xc = x.narrow(2, 0, gh * p).narrow(3, 0, gw * p);
        // [B,C,gh,P,gw,P] -> [B,gh,gw,C,P,P] -> [B*gh*gw, C*P*P]
        Tensor patches = xc.reshape(b, c, gh, p, gw, p).permute(0, 2, 4, 1, 3, 5).reshape(b * gh * gw, c * p * p);
        Tensor wm = weight.reshape(o, c * p * p).mT();             // [C*P*P, O]
        Tensor y = patches.matmul(wm);                              // [B*gh*gw, O]
        if (bias != null) {
            Tensor yb = y.add(bias);
            y.close();
            y = yb;
        }
        return y.reshape(b, gh, gw, o).permute(0, 3, 1, 2);        // [B,O,gh,gw]
    }
}

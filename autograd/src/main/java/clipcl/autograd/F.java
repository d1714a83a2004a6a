package clipcl.autograd;

import clipcl.tensor.Tensor;

/**
 * Functional forms of the composite and fused operations (the model code's vocabulary). Fused
 * primitives have hand-written backward passes (see {@code clipcl.autograd.ops}); composites are
 * built from primitives.
 */
public final class F {
    private F() { }

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
        if (x.rank() != 4 || weight.rank() != 4) throw new IllegalArgumentException(what + ": needs 4-D input [B,C,H,W] and weight [O,C,P,P]");
        int b = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int o = weight.dim(0), p = weight.dim(2);
        if (weight.dim(1) != c) throw new IllegalArgumentException(what + ": input has " + c + " channels, weight expects " + weight.dim(1));
        if (weight.dim(3) != p) throw new IllegalArgumentException(what + ": kernel must be square");
        if (h < p || w < p) throw new IllegalArgumentException(what + ": image smaller than one patch");
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != o)) throw new IllegalArgumentException(what + ": bias " + bias.shape() + " must be [" + o + "]");
        int gh = h / p, gw = w / p;
        Var xc = gh * p == h && gw * p == w ? x : x.narrow(2, 0, gh * p).narrow(3, 0, gw * p);
        // [B,C,gh,P,gw,P] -> [B,gh,gw,C,P,P] -> [B*gh*gw, C*P*P]
        Var patches = xc.reshape(b, c, gh, p, gw, p).permute(0, 2, 4, 1, 3, 5).reshape(b * gh * gw, c * p * p);
        Var y = patches.matmul(weight.reshape(o, c * p * p).mT());   // [B*gh*gw, O]
        if (bias != null) y = y.add(bias);
        return y.reshape(b, gh, gw, o).permute(0, 3, 1, 2);          // [B,O,gh,gw]
    }
}

package clipcl.tensor;

/** Front end of softmax, layer_norm and L2 normalisation. */
public final class NormOps {
    private NormOps() { }

    public static Tensor softmax(Tensor x, int dim, boolean log) {
        String op = log ? "log_softmax" : "softmax";
        Ops.open(op, x);
        Ops.floating(op, x);
        if (x.rank() == 0) throw new IllegalArgumentException(op + ": needs at least one dimension, got a scalar");
        int d;
        try {
            d = x.shape().normDim(dim);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": dimension " + dim + " out of range for " + Ops.desc(x));
        }
        Tensor out = Tensor.empty(x.dtype().computeType(), x.device(), x.shape());
        x.backend().softmax(x, d, log, out);
        return out;
    }

    public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, double eps) {
        checkLayerNorm(x, weight, bias);
        Tensor out = Tensor.empty(x.dtype().computeType(), x.device(), x.shape());
        x.backend().layerNorm(x, weight, bias, eps, out);
        return out;
    }

    /** {out, mean, rstd}: layer_norm with the row statistics when the backend keeps them (else mean and rstd are null). */
    static Tensor[] layerNormWithStats(Tensor x, Tensor weight, Tensor bias, double eps) {
        checkLayerNorm(x, weight, bias);
        Tensor out = Tensor.empty(x.dtype().computeType(), x.device(), x.shape());
        int rows = x.numel() / Math.max(1, x.dim(-1));
        Tensor mean = Tensor.empty(DType.F32, x.device(), rows), rstd = Tensor.empty(DType.F32, x.device(), rows);
        if (x.backend().layerNormWithStats(x, weight, bias, eps, out, mean, rstd)) return new Tensor[] {out, mean, rstd};
        mean.close();
        rstd.close();
        return new Tensor[] {out, null, null};
    }

    private static void checkLayerNorm(Tensor x, Tensor weight, Tensor bias) {
        Ops.open("layer_norm", x, weight, bias);
        Ops.floating("layer_norm", x);
        if (x.rank() == 0) throw new IllegalArgumentException("layer_norm: needs at least one dimension, got a scalar");
        int n = x.dim(-1);
        for (Tensor p : new Tensor[] {weight, bias}) {
            if (p == null) continue;
            Ops.sameDevice("layer_norm", x, p);
            if (p.rank() != 1 || p.dim(0) != n) {
                throw new IllegalArgumentException("layer_norm: weight/bias " + Ops.desc(p) + " must be [" + n + "] for input " + Ops.desc(x));
            }
        }
    }

    public static Tensor l2Normalize(Tensor x, int dim, double eps) {
        Ops.open("normalize", x);
        Ops.floating("normalize", x);
        try (Tensor sq = x.square(); Tensor ss = sq.sum(dim, true); Tensor norm = ss.sqrt(); Tensor clamped = norm.maximum(epsOf(x, eps))) {
            return x.div(clamped);
        }
    }

    private static Tensor epsOf(Tensor x, double eps) {
        Tensor e = Tensor.empty(x.dtype().computeType(), x.device(), Shape.SCALAR);
        return e.fill(eps);
    }
}

package clipcl.tensor.cpu;

import clipcl.tensor.DType;
import clipcl.tensor.Erf;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Parallel;
import clipcl.tensor.Tensor;
import clipcl.tensor.UnaryOp;
import java.util.function.DoubleBinaryOperator;
import jdk.incubator.vector.FloatVector;

/**
 * One-pass elementwise backward kernels on CPU tensors: out[i] = f(x[i], g[i]) with x and g of the
 * same shape, computed in the promoted float type. QuickGELU has its own loops (it is on the hot
 * path of every CLIP block); the generic map2 serves the rarer ops.
 */
final class PointwiseBackward {
    private static final int GRAIN = 1 << 14;

    private PointwiseBackward() { }

    /** dx of a unary op from what its forward saved (x for ABS, GELU, QUICK_GELU; y for SIGMOID, TANH, RELU). */
    static void unary(UnaryOp op, Tensor saved, Tensor g, Tensor dx) {
        switch (op) {
            case QUICK_GELU -> quickGeluBackward(saved, g, dx);
            case GELU -> map2("gelu backward", saved, g, dx, (v, gv) -> gv * (normalCdf(v) + v * Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI)));
            case SIGMOID -> map2("sigmoid backward", saved, g, dx, (y, gv) -> gv * y * (1 - y));
            case TANH -> map2("tanh backward", saved, g, dx, (y, gv) -> gv * (1 - y * y));
            case RELU -> map2("relu backward", saved, g, dx, (y, gv) -> y > 0 ? gv : 0.0);
            case ABS -> map2("abs backward", saved, g, dx, (v, gv) -> v > 0 ? gv : v < 0 ? -gv : 0.0);
            default -> throw new UnsupportedOperationException("unary backward of " + op + " is not a backend kernel");
        }
    }

    static void clamp(Tensor x, Tensor g, double lo, double hi, Tensor dx) {
        map2("clamp backward", x, g, dx, (v, gv) -> v >= lo && v <= hi ? gv : 0.0);
    }

    static double normalCdf(double v) { return 0.5 * (1 + Erf.erf(v / Math.sqrt(2.0))); }

    /** Contiguous copy (or t) in dtype dt; the caller closes it if it differs from t. */
    private static Tensor dense(Tensor t, DType dt) {
        Tensor c = t.dtype() == dt ? t : t.to(dt);
        Tensor d = c.contiguous();
        if (d != c && c != t) c.close();
        return d;
    }

    private static HeapStorage heap(String op, Tensor t) {
        if (t.storage() instanceof HeapStorage h) return h;
        throw new IllegalStateException(op + ": needs CPU tensors, got one on " + t.device());
    }

    /** An F32 loop over [from, to): oa[i] = f(xa[xo + i], ga[go + i]). */
    @FunctionalInterface
    private interface F32Loop {
        void run(float[] xa, int xo, float[] ga, int go, float[] oa, int from, int to);
    }

    static void map2(String op, Tensor x, Tensor g, Tensor out, DoubleBinaryOperator f) {
        apply(op, x, g, out, (xa, xo, ga, go, oa, from, to) -> {
            for (int i = from; i < to; i++) oa[i] = (float) f.applyAsDouble(xa[xo + i], ga[go + i]);
        }, f);
    }

    /** The shared scaffolding: promote, make dense, split over the worker pool, F32 or F64 loop. */
    private static void apply(String op, Tensor x, Tensor g, Tensor out, F32Loop f32, DoubleBinaryOperator f64) {
        if (!x.shape().equals(g.shape())) throw new IllegalArgumentException(op + ": shapes " + x.shape() + " and " + g.shape() + " differ");
        DType dt = out.dtype();
        if (!out.isContiguous() || (dt != DType.F32 && dt != DType.F64)) throw new IllegalArgumentException(op + ": output must be dense F32 or F64");
        Tensor xc = dense(x, dt), gc = dense(g, dt);
        try {
            int n = out.numel(), xo = xc.offset(), go = gc.offset(), oo = out.offset();
            if (dt == DType.F32) {
                float[] xa = heap(op, xc).f32(), ga = heap(op, gc).f32(), oa = heap(op, out).f32();
                if (oo != 0) throw new IllegalArgumentException(op + ": output must start its storage");
                Parallel.forRange(n, GRAIN, (from, to) -> f32.run(xa, xo, ga, go, oa, from, to));
            } else {
                double[] xa = heap(op, xc).f64(), ga = heap(op, gc).f64(), oa = heap(op, out).f64();
                Parallel.forRange(n, GRAIN, (from, to) -> {
                    for (int i = from; i < to; i++) oa[oo + i] = f64.applyAsDouble(xa[xo + i], ga[go + i]);
                });
            }
        } finally {
            if (xc != x) xc.close();
            if (gc != g) gc.close();
        }
    }

    /**
     * F32 loop in two passes: e = exp(-1.702 x) into the output by VecMath's exp loop, then the
     * rest in place (the scalar tail reads the same e: same bits). A SIMD body calling exp on a vector would hand C2 a method of ours that takes
     * and returns vectors, which it may refuse to inline and then box (see VecMath.gelu).
     */
    private static void quickGeluBackwardF32(float[] xa, int xo, float[] ga, int go, float[] oa, int from, int to) {
        int l = VecMath.F.length();
        int i = from, end = from + VecMath.bound(to - from);
        VecMath.exp(xa, xo + from, -1.702f, 0f, oa, from, to - from);
        for (; i < end; i += l) {
            FloatVector v = FloatVector.fromArray(VecMath.F, xa, xo + i);
            FloatVector s = FloatVector.broadcast(VecMath.F, 1f).div(FloatVector.fromArray(VecMath.F, oa, i).add(1f)); // sigmoid(1.702 v)
            FloatVector d = v.mul(1.702f).mul(s.neg().add(1f)).add(1f).mul(s);    // s (1 + 1.702 v (1 - s))
            d.mul(FloatVector.fromArray(VecMath.F, ga, go + i)).intoArray(oa, i);
        }
        for (; i < to; i++) {
            float v = xa[xo + i];
            float s = 1f / (oa[i] + 1f);
            oa[i] = (s * ((v * 1.702f) * (1f - s) + 1f)) * ga[go + i];
        }
    }

    /** g * d/dx [x sigmoid(1.702 x)] = g * (s + 1.702 x s (1 - s)). */
    static void quickGeluBackward(Tensor x, Tensor g, Tensor dx) {
        apply("quick_gelu backward", x, g, dx, PointwiseBackward::quickGeluBackwardF32, (v, gv) -> {
            double s = 1.0 / (1.0 + Math.exp(-1.702 * v));
            return gv * (s + 1.702 * v * s * (1.0 - s));
        });
    }
}

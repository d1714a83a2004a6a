package clipcl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import clipcl.tensor.cpu.VectorBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * tinygrad-style op checker: runs an op on the vector backend with F32 inputs and on the reference
 * backend with F64 inputs holding the same (float-representable) values, for every input layout
 * (contiguous, transposed, narrowed out of a NaN-padded buffer, expanded with stride 0), and
 * compares with |got - want| <= atol + rtol |want|, NaN and infinities exactly. The vector run must
 * not have fallen back to the float64 reference unless the check says so: a missing
 * backend/dtype/layout pair fails instead of passing silently.
 *
 * <pre>
 * OpCheck.op("add", t -> t[0].add(t[1])).shapes(new int[] {3, 4}, new int[] {4}).check();
 * </pre>
 */
final class OpCheck {
    static final Backend VECTOR = new VectorBackend();
    static final Backend REFERENCE = new ReferenceBackend();

    /** How an input tensor is laid out in memory. */
    enum Layout { CONTIGUOUS, TRANSPOSED, NARROWED, EXPANDED }

    private final String name;
    private final Function<Tensor[], Tensor> fn;
    private final List<int[]> shapes = new ArrayList<>();
    private double lo = -2, hi = 2;
    private double rtol = 1e-5, atol = 1e-6;
    private boolean integers;
    private boolean fallbackOk;
    private Layout[] layouts = Layout.values();
    private long seed;

    private OpCheck(String name, Function<Tensor[], Tensor> fn) {
        this.name = name;
        this.fn = fn;
        this.seed = name.hashCode();
    }

    static OpCheck op(String name, Function<Tensor[], Tensor> fn) { return new OpCheck(name, fn); }

    OpCheck shapes(int[]... s) { shapes.clear(); shapes.addAll(Arrays.asList(s)); return this; }

    /** Input values uniform in [lo, hi). */
    OpCheck range(double l, double h) { lo = l; hi = h; return this; }

    /** Input values are integers in [lo, hi] (ties for comparisons, exact sums). */
    OpCheck integers(int l, int h) { lo = l; hi = h; integers = true; return this; }

    OpCheck tol(double r, double a) { rtol = r; atol = a; return this; }

    OpCheck seed(long s) { seed = s; return this; }

    OpCheck layouts(Layout... l) { layouts = l; return this; }

    /** The vector backend may hand this op to the reference (it has no F32 kernel for the case). */
    OpCheck fallbackOk() { fallbackOk = true; return this; }

    /** Runs every layout; returns the number of elements compared. */
    int check() {
        int compared = 0;
        for (Layout layout : layouts) compared += check(layout);
        return compared;
    }

    int check(Layout layout) {
        Rng rng = new Rng(seed);
        double[][] values = new double[shapes.size()][];
        for (int i = 0; i < shapes.size(); i++) values[i] = values(rng, shapes.get(i), layout);
        String what = name + " on " + describe() + " (" + layout + ")";
        long before = totalFallbacks();
        Result fast = run(VECTOR, DType.F32, values, layout, what);
        long fell = totalFallbacks() - before;
        Result ref = run(REFERENCE, DType.F64, values, layout, what);
        if (!fallbackOk && fell > 0) fail(what + ": the vector backend fell back to the float64 reference " + fell + " time(s)");
        assertArrayEquals(ref.dims, fast.dims, what + ": shapes differ");
        DType want = ref.dtype == DType.F64 ? DType.F32 : ref.dtype;
        assertEquals(want, fast.dtype, what + ": result dtype");
        compare(what, fast.values, ref.values, rtol, atol);
        return ref.values.length;
    }

    private String describe() {
        StringBuilder sb = new StringBuilder();
        for (int[] s : shapes) sb.append(sb.isEmpty() ? "" : ", ").append(Arrays.toString(s));
        return sb.toString();
    }

    private record Result(int[] dims, DType dtype, double[] values) { }

    private Result run(Backend backend, DType dtype, double[][] values, Layout layout, String what) {
        Backend old = Backends.setCpu(backend);
        try (Scope scope = Scope.open()) {
            Tensor[] in = new Tensor[values.length];
            for (int i = 0; i < in.length; i++) in[i] = build(dtype, shapes.get(i), values[i], layout);
            Tensor out = fn.apply(in);
            assertTrue(backend.name().equals(Backends.cpu().name()), what + ": wrong backend active");
            return new Result(out.dims(), out.dtype(), out.toDoubleArray());
        } finally {
            Backends.setCpu(old);
        }
    }

    /** Row-major values for an input; EXPANDED inputs repeat along their broadcast dimension. */
    private double[] values(Rng rng, int[] shape, Layout layout) {
        int n = Shape.of(shape).numel();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            v[i] = integers ? Math.floor(lo + (hi - lo + 1) * u) : (float) (lo + (hi - lo) * u);
        }
        int d = expandDim(shape);
        if (layout == Layout.EXPANDED && d >= 0) {
            int[] st = Shape.of(shape).contiguousStrides();
            for (int i = 0; i < n; i++) {
                int k = (i / st[d]) % shape[d];
                if (k > 0) v[i] = v[i - k * st[d]];
            }
        }
        return v;
    }

    /** The dimension an EXPANDED input broadcasts along: its first one larger than 1, or -1. */
    static int expandDim(int[] shape) {
        for (int i = 0; i < shape.length; i++) if (shape[i] > 1) return i;
        return -1;
    }

    /** A tensor of this layout whose logical elements are v (row-major). */
    static Tensor build(DType dtype, int[] shape, double[] v, Layout layout) {
        int r = shape.length;
        Tensor src = dtype == DType.F64 ? Tensor.of(v.clone(), shape) : Tensor.of(toFloat(v), shape);
        switch (layout) {
            case CONTIGUOUS -> { return src; }
            case TRANSPOSED -> {
                // storage in reversed dimension order, viewed back: every stride is "wrong way round"
                int[] rev = new int[r], order = new int[r];
                for (int i = 0; i < r; i++) { rev[i] = shape[r - 1 - i]; order[i] = r - 1 - i; }
                Tensor base = Tensor.empty(dtype, rev);
                Tensor view = base.permute(order);
                view.copyFrom(src);
                return view;
            }
            case NARROWED -> {
                int[] big = new int[r];
                for (int i = 0; i < r; i++) big[i] = shape[i] + 3;
                Tensor base = Tensor.full(Double.NaN, dtype, big); // reading outside the view shows up as NaN
                Tensor view = base;
                for (int i = 0; i < r; i++) view = view.narrow(i, 1, shape[i]);
                view.copyFrom(src);
                return view;
            }
            case EXPANDED -> {
                int d = expandDim(shape);
                if (d < 0) return src;
                Tensor one = src.narrow(d, 0, 1).contiguous();
                return one.expand(shape);
            }
        }
        throw new AssertionError(layout);
    }

    static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    static void compare(String what, double[] got, double[] want, double rtol, double atol) {
        assertEquals(want.length, got.length, what + ": element count");
        for (int i = 0; i < want.length; i++) {
            double g = got[i], w = want[i];
            if (Double.isNaN(w) || Double.isInfinite(w)) {
                if (Double.compare(g, w) != 0 && !(Double.isNaN(g) && Double.isNaN(w))) {
                    fail(what + ": element " + i + " is " + g + ", expected " + w);
                }
                continue;
            }
            if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) {
                fail(what + ": element " + i + " is " + g + ", expected " + w + " (error " + Math.abs(g - w) + ")");
            }
        }
    }

    static long totalFallbacks() {
        long s = 0;
        for (VectorBackend.Kernel k : VectorBackend.Kernel.values()) s += VectorBackend.fallbacks(k);
        return s;
    }

    /** Shorthand for shape literals. */
    static int[] s(int... dims) { return dims; }
}

package clipcl.autograd;

import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;

/**
 * Seeded F64 inputs for gradient checks, contiguous or as non-contiguous views, made on the device
 * set with {@link #on} (the CPU unless a test says otherwise; the values are the same everywhere).
 * {@link #floats} makes them in another float type instead, converted on the host before they move:
 * a GPU holds no F64.
 */
final class Inputs {
    private static final ThreadLocal<Device> DEVICE = ThreadLocal.withInitial(() -> Device.CPU);
    private static final ThreadLocal<DType> FLOATS = ThreadLocal.withInitial(() -> DType.F64);

    private Inputs() { }

    /** Makes every later input on this thread on device; returns the previous device. */
    static Device on(Device d) {
        Device old = DEVICE.get();
        DEVICE.set(d);
        return old;
    }

    /** Makes every later float input on this thread of type t (F64 unless set); returns the previous type. */
    static DType floats(DType t) {
        DType old = FLOATS.get();
        FLOATS.set(t);
        return old;
    }

    /** Tensors copied to a device by {@link #place} on this thread (the transfers a test asked for). */
    static final ThreadLocal<int[]> PLACED = ThreadLocal.withInitial(() -> new int[1]);

    /** t moved to the inputs' device (t itself on the CPU), owned by the caller. */
    static Tensor place(Tensor t) {
        Device d = DEVICE.get();
        if (t.dtype() == DType.F64 && FLOATS.get() != DType.F64) {
            Tensor c = t.to(FLOATS.get());
            t.close();
            t = c;
        }
        if (t.device().equals(d)) return Scope.detach(t);
        PLACED.get()[0]++;
        Tensor m = Scope.detach(t.to(d));
        t.close();
        return m;
    }

    static Tensor normal(long seed, int... dims) { return place(new Rng(seed).normal(DType.F64, 0, 1, dims)); }

    /** A parameter with N(0,1) entries. */
    static Var p(long seed, int... dims) { return Var.param(normal(seed, dims)); }

    /** A parameter with entries in [0.5, 2) (for log, sqrt, division). */
    static Var pos(long seed, int... dims) {
        return Var.param(place(new Rng(seed).uniform(DType.F64, 0.5, 2.0, dims)));
    }

    /** A constant (no gradient). */
    static Var cst(long seed, int... dims) { return Var.constant(normal(seed, dims)); }

    /** A parameter whose data is the transpose of the last two dims of a contiguous tensor (non-contiguous). */
    static Var pT(long seed, int... dims) {
        int r = dims.length;
        int[] sw = dims.clone();
        sw[r - 1] = dims[r - 2];
        sw[r - 2] = dims[r - 1];
        Tensor base = normal(seed, sw);
        return Var.param(Scope.detach(base.transpose(r - 2, r - 1)));
    }

    /** A parameter viewing the first dims[last] columns of a wider tensor (non-contiguous rows). */
    static Var pN(long seed, int... dims) {
        int[] wide = dims.clone();
        wide[wide.length - 1] += 3;
        Tensor base = normal(seed, wide);
        return Var.param(Scope.detach(base.narrow(-1, 1, dims[dims.length - 1])));
    }

    /** I32 indices in [0, bound) with the given shape. */
    static Tensor index(long seed, int bound, int... dims) {
        Rng r = new Rng(seed);
        int n = 1;
        for (int d : dims) n *= d;
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = r.nextInt(bound);
        return place(Tensor.of(v, dims));
    }

    /** A 0/1 F64 mask with the given shape. */
    static Tensor mask(long seed, int... dims) {
        Tensor t = normal(seed, dims);
        try (Tensor m = t.gt(0.0)) { return Scope.detach(m.copy()); }
    }
}

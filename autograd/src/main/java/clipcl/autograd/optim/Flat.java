package clipcl.autograd.optim;

import clipcl.tensor.DType;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;

/** Access to the backing array of a contiguous host tensor, which update loops write in place. */
final class Flat {
    private Flat() { }

    /** Whether t's elements are offset..offset+numel-1 of a host array. */
    static boolean direct(Tensor t) { return t.isContiguous() && t.storage() instanceof HeapStorage; }

    static float[] f32(Tensor t) { return ((HeapStorage) t.storage()).f32(); }

    static double[] f64(Tensor t) { return ((HeapStorage) t.storage()).f64(); }

    /** A zero-filled host tensor owned by the caller (taken out of any open scope: it outlives steps). */
    static Tensor zerosLike(Tensor t) {
        Tensor z = switch (t.dtype()) {
            case F32 -> Tensor.of(new float[t.numel()], t.dims());
            case F64 -> Tensor.of(new double[t.numel()], t.dims());
            default -> throw new IllegalArgumentException("optimizer state for dtype " + t.dtype() + " is not supported (F32 or F64 only)");
        };
        return Scope.detach(z);
    }

    /** A host copy of t owned by the caller. */
    static Tensor ownedCopy(Tensor t, DType dtype) {
        Tensor z = dtype == DType.F64 ? Tensor.of(t.toDoubleArray(), t.dims()) : Tensor.of(t.toFloatArray(), t.dims());
        return Scope.detach(z);
    }
}

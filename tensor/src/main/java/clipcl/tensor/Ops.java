package clipcl.tensor;

import java.util.Arrays;

/** Checks shared by the op families: every error names the op, the shapes and the dtypes. */
final class Ops {
    private Ops() { }

    /** Fails, naming the op, when an operand was closed. */
    static void open(String op, Tensor... ts) {
        for (Tensor t : ts) if (t != null) t.checkOpen(op);
    }

    static void sameDevice(String op, Tensor a, Tensor b) {
        if (!a.device().equals(b.device())) {
            throw new IllegalArgumentException(op + ": operands on different devices: " + a.device() + " and " + b.device());
        }
    }

    static void floating(String op, Tensor t) {
        if (!t.dtype().isFloating()) throw new IllegalArgumentException(op + ": needs a floating-point tensor, got " + t.dtype() + " " + t.shape());
    }

    static void index(String op, Tensor t) {
        if (t.dtype() != DType.I32) throw new IllegalArgumentException(op + ": index must be I32, got " + t.dtype() + " " + t.shape());
    }

    static String desc(Tensor t) { return t.dtype() + Arrays.toString(t.dims()); }

    /**
     * Returns view and gives up base: the view holds its own reference to the storage, so the
     * memory lives exactly as long as the view.
     */
    static Tensor replaceByView(Tensor base, Tensor view) {
        if (view == base) return view;
        Scope.detach(base);
        base.close();
        return view;
    }

    /** Output dtype of an op on a and b: F64 wins; I32 only if both are; 16-bit storage computes in F32. */
    static DType resultType(Tensor a, Tensor b) { return DType.promote(a.dtype().computeType(), b.dtype().computeType()); }
}

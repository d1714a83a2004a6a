package clipcl.tensor;

/**
 * Element types. F32 is the compute type; F64 serves the reference backend and gradient checks;
 * I32 holds token ids, labels and indices; BF16/F16 are storage types that are widened on use.
 */
public enum DType {
    F32(4, true), F64(8, true), I32(4, false), BF16(2, true), F16(2, true);

    private final int byteSize;
    private final boolean floating;

    DType(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    public int byteSize() { return byteSize; }

    public boolean isFloating() { return floating; }

    /** The type two operands are computed in: the wider float type, F32 for half storage. */
    public static DType promote(DType a, DType b) {
        if (a == F64 || b == F64) return F64;
        if (a == I32 && b == I32) return I32;
        return F32;
    }

    /** The type arithmetic on this storage type runs in. */
    public DType computeType() {
        return (this == BF16 || this == F16) ? F32 : this;
    }
}

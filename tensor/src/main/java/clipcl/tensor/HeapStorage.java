package clipcl.tensor;

/**
 * Host memory as a Java primitive array: float[] for F32, double[] for F64, int[] for I32 and
 * short[] for the 16-bit float types. Arrays come from and go back to {@link ArrayPool}.
 */
public final class HeapStorage extends Storage {
    private Object array;
    private final boolean pooled;

    private HeapStorage(DType dtype, int size, Object array, boolean pooled) {
        super(dtype, size);
        this.array = array;
        this.pooled = pooled;
    }

    /** New storage whose contents are unspecified (pooled arrays are not cleared). */
    public static HeapStorage allocate(DType dtype, int size) {
        return new HeapStorage(dtype, size, ArrayPool.take(dtype, size), true);
    }

    /** Wraps an existing array without copying; it is never returned to the pool. */
    public static HeapStorage wrap(float[] a) { return new HeapStorage(DType.F32, a.length, a, false); }

    public static HeapStorage wrap(double[] a) { return new HeapStorage(DType.F64, a.length, a, false); }

    public static HeapStorage wrap(int[] a) { return new HeapStorage(DType.I32, a.length, a, false); }

    public static HeapStorage wrap(DType halfType, short[] a) { return new HeapStorage(halfType, a.length, a, false); }

    @Override
    public Device device() { return Device.CPU; }

    public float[] f32() { return (float[]) live(); }

    public double[] f64() { return (double[]) live(); }

    public int[] i32() { return (int[]) live(); }

    public short[] f16bits() { return (short[]) live(); }

    private Object live() {
        Object a = array;
        if (a == null) throw new IllegalStateException("tensor memory used after it was closed");
        return a;
    }

    @Override
    protected void free() {
        Object a = array;
        array = null;
        // Wrapped arrays belong to whoever passed them in, so they never enter the pool.
        if (a != null && pooled) ArrayPool.give(dtype(), a);
    }
}

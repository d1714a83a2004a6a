package clipcl.tensor.cpu;

/**
 * Per-thread packing buffers, grown on demand and kept: the packed SGEMM allocates nothing once a
 * thread has seen its largest shape (at most MC*KC + KC*NC floats, about 3.5 MB per thread).
 */
final class SgemmWorkspace {
    private static final ThreadLocal<SgemmWorkspace> LOCAL = ThreadLocal.withInitial(SgemmWorkspace::new);

    private float[] a = new float[0];
    private float[] b = new float[0];
    private float[] shared = new float[0];

    /** One edge tile of the largest kernel (6 x 2 vectors, 4 x 3 vectors). */
    private final float[] scratch = new float[12 * SgemmKernel.L];

    static SgemmWorkspace get() { return LOCAL.get(); }

    float[] a(int size) {
        if (a.length < size) a = new float[size];
        return a;
    }

    float[] b(int size) {
        if (b.length < size) b = new float[size];
        return b;
    }

    /** A packed once for all threads of one GEMM (see Sgemm.packShared); owned by the caller. */
    float[] shared(int size) {
        if (shared.length < size) shared = new float[size];
        return shared;
    }

    float[] scratch() { return scratch; }
}

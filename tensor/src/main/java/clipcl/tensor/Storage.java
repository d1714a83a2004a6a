package clipcl.tensor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reference-counted block of elements of one dtype on one device. Views share a storage; each
 * tensor that refers to it holds one reference, and the memory goes back to its pool (host arrays)
 * or allocator (device memory) when the last reference is released.
 */
public abstract class Storage {
    private final DType dtype;
    private final int size;
    private final AtomicInteger refs = new AtomicInteger(0);

    protected Storage(DType dtype, int size) {
        this.dtype = dtype;
        this.size = size;
    }

    public final DType dtype() { return dtype; }

    /** Number of elements. */
    public final int size() { return size; }

    public abstract Device device();

    final void retain() {
        if (refs.getAndIncrement() < 0) throw new IllegalStateException("storage already freed");
    }

    final void release() {
        int r = refs.decrementAndGet();
        if (r == 0) {
            refs.set(Integer.MIN_VALUE / 2); // poison: any later retain fails loudly
            free();
        }
    }

    public final boolean isFreed() { return refs.get() < 0; }

    /** Gives the memory back; called once, when the last tensor referring to it is closed. */
    protected abstract void free();
}

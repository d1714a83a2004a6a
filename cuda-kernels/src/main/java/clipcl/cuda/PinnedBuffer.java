package clipcl.cuda;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.cuda.global.cudart;

/**
 * Page-locked host memory for transfers: cudaMemcpyAsync from pageable memory goes through the
 * driver's own staging copy and cannot overlap, from pinned memory it is a direct DMA. One buffer
 * per device, grown on demand up to {@link #MAX} and used in chunks beyond that.
 */
final class PinnedBuffer implements AutoCloseable {
    static final long MAX = 64L << 20;

    private BytePointer host;
    private long capacity;

    /** A pinned region of at least min(bytes, MAX) bytes; valid until the next call. */
    BytePointer get(long bytes) {
        long want = Math.min(Math.max(bytes, 1), MAX);
        if (want > capacity) {
            close();
            long cap = Math.min(MAX, Math.max(want, Math.min(MAX, capacity * 2)));
            Pointer p = new Pointer();
            Check.rt(cudart.cudaMallocHost(p, cap), "cudaMallocHost(" + cap + " bytes)");
            host = new BytePointer(p).capacity(cap);
            capacity = cap;
        }
        return host;
    }

    long capacity() { return capacity; }

    @Override
    public void close() {
        if (host != null) {
            Check.rt(cudart.cudaFreeHost(host), "cudaFreeHost");
            host = null;
            capacity = 0;
        }
    }
}

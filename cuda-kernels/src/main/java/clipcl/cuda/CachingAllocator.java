package clipcl.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Caches freed device blocks by size so that a training loop, which allocates the same sizes every
 * step, stops calling cudaMalloc/cudaFree (each a device-wide synchronisation) after its first step.
 * Sizes are rounded up: to 512 bytes below 1 MiB, to 2 MiB above, so near sizes share a bin.
 * A block freed on the stream can be handed out again at once: every kernel and copy runs on the
 * one stream of its device, so stream order guarantees the previous user has finished with it.
 * When cudaMalloc fails, every cached block is released and the allocation is tried once more.
 */
public final class CachingAllocator implements AutoCloseable {
    static final long SMALL = 1L << 20, SMALL_ROUND = 512, LARGE_ROUND = 2L << 20;

    private final RawMemory raw;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    private long inUse, cached, peakInUse, peakReserved, mallocs, hits;
    private boolean closed;

    CachingAllocator(RawMemory raw) { this.raw = raw; }

    /** Bytes actually reserved for a request of {@code bytes}. */
    static long roundUp(long bytes) {
        long b = Math.max(bytes, 1);
        long unit = b <= SMALL ? SMALL_ROUND : LARGE_ROUND;
        return (b + unit - 1) / unit * unit;
    }

    /** A block of at least {@code bytes}; give it back with {@link #release} and the same size. */
    public synchronized long allocate(long bytes) {
        if (closed) throw new IllegalStateException("device allocator already closed");
        long size = roundUp(bytes);
        ArrayDeque<Long> bin = free.get(size);
        long addr;
        if (bin != null && !bin.isEmpty()) {
            addr = bin.pop();
            cached -= size;
            hits++;
        } else {
            addr = raw.malloc(size);
            if (addr == 0) {
                emptyCache();
                addr = raw.malloc(size);
                if (addr == 0) throw new CudaException("cudaMalloc(" + size + " bytes)", 2,
                        "out of device memory with " + inUse + " bytes in use by tensors; cache emptied and retried");
            }
            mallocs++;
        }
        inUse += size;
        peakInUse = Math.max(peakInUse, inUse);
        peakReserved = Math.max(peakReserved, inUse + cached);
        return addr;
    }

    /** Returns a block to the cache (not to the device). */
    public synchronized void release(long address, long bytes) {
        long size = roundUp(bytes);
        inUse -= size;
        if (closed) {
            raw.free(address);
            return;
        }
        free.computeIfAbsent(size, k -> new ArrayDeque<>()).push(address);
        cached += size;
    }

    /** Gives every cached block back to the device (torch.cuda.empty_cache). */
    public synchronized void emptyCache() {
        for (Map.Entry<Long, ArrayDeque<Long>> e : free.entrySet()) {
            for (long a : e.getValue()) raw.free(a);
        }
        free.clear();
        cached = 0;
    }

    /** Bytes held by live tensors. */
    public synchronized long inUseBytes() { return inUse; }

    /** Bytes parked in the cache. */
    public synchronized long cachedBytes() { return cached; }

    /** Highest {@link #inUseBytes} so far (torch.cuda.max_memory_allocated). */
    public synchronized long peakInUseBytes() { return peakInUse; }

    /** Highest in-use plus cached bytes so far (torch.cuda.max_memory_reserved). */
    public synchronized long peakReservedBytes() { return peakReserved; }

    public synchronized void resetPeaks() {
        peakInUse = inUse;
        peakReserved = inUse + cached;
    }

    /** Calls to cudaMalloc so far. */
    public synchronized long mallocs() { return mallocs; }

    /** Requests served from the cache so far. */
    public synchronized long hits() { return hits; }

    /** Frees the cache; blocks still held by tensors are freed when those tensors are closed. */
    @Override
    public synchronized void close() {
        if (closed) return;
        emptyCache();
        closed = true;
    }
}

package clipcl.tensor;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Recycles host arrays by exact (dtype, length). A training loop allocates the same sizes every
 * step, so after the first step nearly every allocation is a hit and the garbage collector sees
 * almost nothing. The pool holds at most {@code clipcl.pool.mb} MiB (default 1024); beyond that,
 * returned arrays are left to the collector.
 */
public final class ArrayPool {
    private static final long LIMIT = Long.getLong("clipcl.pool.mb", 1024L) << 20;
    private static final Map<Long, ArrayDeque<Object>> FREE = new HashMap<>();
    private static long pooledBytes;
    private static long hits, misses;

    private ArrayPool() { }

    private static long key(DType t, int n) { return ((long) t.ordinal() << 32) | n; }

    static Object take(DType t, int n) {
        synchronized (FREE) {
            ArrayDeque<Object> q = FREE.get(key(t, n));
            if (q != null && !q.isEmpty()) {
                pooledBytes -= (long) n * t.byteSize();
                hits++;
                return q.pop();
            }
            misses++;
        }
        return switch (t) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I32 -> new int[n];
            case BF16, F16 -> new short[n];
        };
    }

    static void give(DType t, Object array) {
        int n = java.lang.reflect.Array.getLength(array);
        long bytes = (long) n * t.byteSize();
        synchronized (FREE) {
            if (pooledBytes + bytes > LIMIT) return;
            FREE.computeIfAbsent(key(t, n), k -> new ArrayDeque<>()).push(array);
            pooledBytes += bytes;
        }
    }

    /** Bytes currently parked in the pool. */
    public static long pooledBytes() { synchronized (FREE) { return pooledBytes; } }

    /** Allocations served from the pool since start. */
    public static long hits() { synchronized (FREE) { return hits; } }

    /** Allocations that needed a new array since start. */
    public static long misses() { synchronized (FREE) { return misses; } }

    /** Drops every pooled array (for tests and for handing memory back after a phase). */
    public static void clear() {
        synchronized (FREE) {
            FREE.clear();
            pooledBytes = 0;
        }
    }
}

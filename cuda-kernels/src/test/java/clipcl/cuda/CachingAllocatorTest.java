package clipcl.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The allocator's caching logic against a fake device with a fixed capacity. */
class CachingAllocatorTest {
    static final class FakeDevice implements RawMemory {
        final long capacity;
        final Map<Long, Long> live = new HashMap<>();
        long next = 4096, used, mallocs, frees;

        FakeDevice(long capacity) { this.capacity = capacity; }

        @Override
        public long malloc(long bytes) {
            if (used + bytes > capacity) return 0;
            long a = next;
            next += bytes + 4096;
            live.put(a, bytes);
            used += bytes;
            mallocs++;
            return a;
        }

        @Override
        public void free(long address) {
            Long b = live.remove(address);
            if (b == null) throw new AssertionError("double or foreign free of " + address);
            used -= b;
            frees++;
        }
    }

    @Test
    void roundsSmallAndLargeSizes() {
        assertEquals(512, CachingAllocator.roundUp(1));
        assertEquals(512, CachingAllocator.roundUp(0));
        assertEquals(1024, CachingAllocator.roundUp(513));
        assertEquals(1L << 20, CachingAllocator.roundUp(1L << 20));
        assertEquals(2L << 20, CachingAllocator.roundUp((1L << 20) + 1));
        assertEquals(4L << 20, CachingAllocator.roundUp((2L << 20) + 1));
    }

    @Test
    void aTrainingLoopStopsCallingMallocAfterItsFirstStep() {
        FakeDevice dev = new FakeDevice(1L << 30);
        try (CachingAllocator a = new CachingAllocator(dev)) {
            long[] sizes = {4096, 3 * 768 * 4, 50 * 768 * 4 * 256, 12, 4096};
            for (int step = 0; step < 5; step++) {
                long[] blocks = new long[sizes.length];
                for (int i = 0; i < sizes.length; i++) blocks[i] = a.allocate(sizes[i]);
                for (int i = 0; i < sizes.length; i++) a.release(blocks[i], sizes[i]);
            }
            assertEquals(sizes.length, dev.mallocs);
            assertEquals(4 * sizes.length, a.hits());
            assertEquals(0, a.inUseBytes());
            assertTrue(a.cachedBytes() > 0);
            assertTrue(a.peakInUseBytes() >= 50 * 768 * 4 * 256);
        }
        assertEquals(0, dev.used, "close gives every cached block back");
    }

    @Test
    void liveBlocksAreDistinct() {
        FakeDevice dev = new FakeDevice(1L << 30);
        try (CachingAllocator a = new CachingAllocator(dev)) {
            long x = a.allocate(100), y = a.allocate(100);
            assertNotEquals(x, y);
            a.release(x, 100);
            assertEquals(x, a.allocate(100), "the freed block is reused");
        }
    }

    @Test
    void outOfMemoryEmptiesTheCacheAndRetries() {
        FakeDevice dev = new FakeDevice(8L << 20);
        try (CachingAllocator a = new CachingAllocator(dev)) {
            long big = a.allocate(6L << 20);
            a.release(big, 6L << 20);                 // cached, still held from the device
            long other = a.allocate(4L << 20);        // does not fit beside the cached 6 MiB: cache emptied, retried
            assertEquals(0, a.cachedBytes());
            assertEquals(1, dev.frees);
            a.release(other, 4L << 20);
            CudaException e = assertThrows(CudaException.class, () -> a.allocate(64L << 20));
            assertTrue(e.getMessage().contains("out of device memory"), e.getMessage());
        }
    }

    @Test
    void blocksReleasedAfterCloseGoStraightToTheDevice() {
        FakeDevice dev = new FakeDevice(1L << 30);
        CachingAllocator a = new CachingAllocator(dev);
        long x = a.allocate(1000);
        a.close();
        a.release(x, 1000);
        assertEquals(0, dev.used);
        assertThrows(IllegalStateException.class, () -> a.allocate(10));
    }
}

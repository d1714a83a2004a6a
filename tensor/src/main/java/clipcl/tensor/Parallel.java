package clipcl.tensor;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The CPU worker pool. {@code clipcl.threads} (default: all cores) sets its size; {@link #forRange}
 * splits [0, n) into one contiguous chunk per thread, the caller's thread taking the first, so a
 * split is deterministic for a given thread count and no work-stealing reorders floating point.
 */
public final class Parallel {
    private static volatile ExecutorService pool;
    private static volatile int poolSize;
    // Set while a thread runs a forRange chunk: a nested forRange (a kernel calling another
    // parallel kernel) then runs on the calling thread. Without it, pool threads waiting on
    // chunks queued behind themselves would deadlock.
    private static final ThreadLocal<boolean[]> INSIDE = ThreadLocal.withInitial(() -> new boolean[1]);

    private Parallel() { }

    public static int threads() {
        String p = System.getProperty("clipcl.threads");
        int n = p == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(p.trim());
        return Math.max(1, n);
    }

    /** Body over a half-open range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * Runs body over [0, n) in at most threads() chunks; ranges shorter than grain are not split.
     * Exceptions from any chunk are rethrown on the caller's thread. Called from inside another
     * forRange body, it runs serially on the calling thread.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int t = threads();
        int chunks = Math.min(t, Math.max(1, n / Math.max(1, grain)));
        boolean[] inside = INSIDE.get();
        if (chunks <= 1 || n <= 1 || inside[0]) {
            body.run(0, n);
            return;
        }
        ExecutorService ex = pool(t);
        CountDownLatch done = new CountDownLatch(chunks - 1);
        AtomicReference<Throwable> err = new AtomicReference<>();
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks), to = (int) ((long) n * (c + 1) / chunks);
            ex.execute(() -> {
                boolean[] in = INSIDE.get();
                in[0] = true;
                try {
                    body.run(from, to);
                } catch (Throwable e) {
                    err.compareAndSet(null, e);
                } finally {
                    in[0] = false;
                    done.countDown();
                }
            });
        }
        inside[0] = true;
        try {
            body.run(0, (int) ((long) n / chunks));
        } catch (Throwable e) {
            err.compareAndSet(null, e);
        } finally {
            inside[0] = false;
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for worker threads", e);
        }
        Throwable e = err.get();
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error r) throw r;
        if (e != null) throw new IllegalStateException(e);
    }

    /** Chunks per thread for {@link #forChunks}. */
    private static final int CHUNKS_PER_THREAD = 4;

    /**
     * Like {@link #forRange}, for bodies whose chunks are independent of each other: [0, n) is cut
     * into up to 4 chunks per thread, each at least grain long (the boundaries depend only on n,
     * grain and the thread count), and the caller and the workers claim chunks one at a time. On a
     * busy machine a worker that is scheduled late then takes fewer chunks instead of holding the
     * caller up: measured here, static halves made two threads slower than one.
     */
    public static void forChunks(int n, int grain, RangeBody body) {
        int t = threads();
        int chunks = Math.min(t * CHUNKS_PER_THREAD, Math.max(1, n / Math.max(1, grain)));
        boolean[] inside = INSIDE.get();
        if (t <= 1 || chunks <= 1 || inside[0]) {
            body.run(0, n);
            return;
        }
        AtomicInteger next = new AtomicInteger(), finished = new AtomicInteger();
        AtomicReference<Throwable> err = new AtomicReference<>();
        Runnable claim = () -> {
            boolean[] in = INSIDE.get();
            boolean was = in[0];
            in[0] = true;
            try {
                for (int c; (c = next.getAndIncrement()) < chunks; ) {
                    try {
                        body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                    } catch (Throwable e) {
                        err.compareAndSet(null, e);
                    } finally {
                        finished.incrementAndGet();
                    }
                }
            } finally {
                in[0] = was;
            }
        };
        ExecutorService ex = pool(t);
        for (int w = 1; w < Math.min(t, chunks); w++) ex.execute(claim);
        claim.run();
        // Only chunks another thread has already started remain: wait for those.
        for (int spins = 0; finished.get() < chunks; spins++) {
            if (spins < 10_000) Thread.onSpinWait();
            else Thread.yield();
        }
        Throwable e = err.get();
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error r) throw r;
        if (e != null) throw new IllegalStateException(e);
    }

    private static ExecutorService pool(int t) {
        ExecutorService p = pool;
        if (p == null || poolSize != t) {
            synchronized (Parallel.class) {
                if (pool == null || poolSize != t) {
                    if (pool != null) pool.shutdown();
                    pool = Executors.newFixedThreadPool(Math.max(1, t - 1), r -> {
                        Thread th = new Thread(r, "clipcl-worker");
                        th.setDaemon(true);
                        return th;
                    });
                    poolSize = t;
                }
                p = pool;
            }
        }
        return p;
    }
}

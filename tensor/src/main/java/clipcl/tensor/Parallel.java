package clipcl.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The CPU worker pool. {@code clipcl.threads} (default: all cores) sets its size. A parallel loop
 * cuts [0, n) into chunks whose boundaries depend only on n, the grain and the thread count, so no
 * floating-point result depends on scheduling; the caller and the workers then claim chunks one at
 * a time. Workers spin for {@code clipcl.spin.us} microseconds (default 200) after a job before
 * they park, as OpenMP's do: kernels come back to back, and waking a parked thread costs more than
 * a whole softmax here. A worker that is busy or scheduled late simply claims fewer chunks.
 */
public final class Parallel {
    private static final long SPIN_NANOS = Long.getLong("clipcl.spin.us", 200L) * 1000L;
    private static volatile Worker[] workers = new Worker[0];
    // Set while a thread runs a chunk: a nested parallel loop (a kernel calling another parallel
    // kernel) then runs on the calling thread instead of waiting on workers that are busy with it.
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
     * Chunks may run concurrently, so they must be independent. Exceptions from any chunk are
     * rethrown on the caller's thread. Called from inside another parallel body, it runs serially.
     */
    public static void forRange(int n, int grain, RangeBody body) { run(n, grain, 1, body); }

    /**
     * Like {@link #forRange} with up to 4 chunks per thread, for load balance: on a busy machine
     * a worker that starts late takes fewer chunks instead of holding the caller up (measured
     * here: one static half per thread made two threads slower than one).
     */
    public static void forChunks(int n, int grain, RangeBody body) { run(n, grain, 4, body); }

    private static void run(int n, int grain, int perThread, RangeBody body) {
        int t = threads();
        int chunks = Math.min(t * perThread, Math.max(1, n / Math.max(1, grain)));
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
        Worker[] ws = workers(t - 1);
        for (int w = 0; w < Math.min(t, chunks) - 1; w++) ws[w].offer(claim);
        claim.run();
        // What is left are chunks another thread has started: wait for those only.
        for (int spins = 0; finished.get() < chunks; spins++) {
            if (spins < 20_000) Thread.onSpinWait();
            else Thread.yield();
        }
        Throwable e = err.get();
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error r) throw r;
        if (e != null) throw new IllegalStateException(e);
    }

    /** At least k started workers (the pool grows when clipcl.threads grows; it never shrinks). */
    private static Worker[] workers(int k) {
        Worker[] ws = workers;
        if (ws.length >= k) return ws;
        synchronized (Parallel.class) {
            ws = workers;
            if (ws.length < k) {
                Worker[] grown = java.util.Arrays.copyOf(ws, k);
                for (int i = ws.length; i < k; i++) {
                    grown[i] = new Worker(i);
                    grown[i].start();
                }
                workers = ws = grown;
            }
        }
        return ws;
    }

    /** A daemon thread with a one-job mailbox; it spins a while after each job, then parks. */
    private static final class Worker extends Thread {
        private final AtomicReference<Runnable> slot = new AtomicReference<>();

        Worker(int i) {
            super("clipcl-worker"); // one name for all: Sgemm recognises its pool threads by it
            setDaemon(true);
        }

        /**
         * Hands over a job. One that the worker has not started yet is replaced: that job's caller
         * claims its chunks itself, and a job whose chunks are all claimed has nothing left to do.
         */
        void offer(Runnable job) {
            slot.set(job);
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (true) {
                Runnable job = slot.getAndSet(null);
                if (job != null) {
                    job.run(); // the claim loop records its own exceptions
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}

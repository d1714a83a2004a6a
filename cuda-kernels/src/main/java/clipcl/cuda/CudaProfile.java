package clipcl.cuda;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.cuda.global.cudart;

/**
 * A blocking profile of the GPU work, for finding where a training step's time goes: with
 * {@code -Dclipcl.cuda.profile=true} every kernel launch, cuBLAS product, device copy, transfer and
 * cudaMalloc waits for the device before and after it and adds its wall time to a per-name total;
 * the table is printed to stderr when the JVM exits. The waits serialise host and device (as
 * CUDA_LAUNCH_BLOCKING does), so the totals are each operation's own time and the host's cost
 * between operations is what a profiled step's time leaves over. The totals restart when the
 * backend's peak-memory counter does ({@link CudaBackend#resetPeakMemory}), so that a benchmark's
 * warm-up steps are left out. Off, it costs one static boolean test per operation.
 */
final class CudaProfile {
    static final boolean ON = Boolean.getBoolean("clipcl.cuda.profile");
    private static final Map<String, long[]> TOTALS = new ConcurrentHashMap<>();   // name -> {calls, nanos}

    static {
        if (ON) Runtime.getRuntime().addShutdownHook(new Thread(() -> print(System.err), "cuda-profile"));
    }

    private CudaProfile() { }

    private static final ThreadLocal<String> LABEL = new ThreadLocal<>();

    /** Adds detail (a shape, say) to the name of this thread's next timed operation; a no-op when off. */
    static void label(java.util.function.Supplier<String> detail) {
        if (ON) LABEL.set(detail.get());
    }

    /** name with the pending label, if any (which is then used up). */
    static String labelled(String name) {
        String l = LABEL.get();
        if (l == null) return name;
        LABEL.remove();
        return name + " " + l;
    }

    /** Waits for the device; the start time of the operation about to be queued (0 when off). */
    static long start() {
        if (!ON) return 0;
        cudart.cudaDeviceSynchronize();
        return System.nanoTime();
    }

    /** Waits for the device and adds the time since t0 to name's total. */
    static void end(String name, long t0) {
        if (!ON) return;
        cudart.cudaDeviceSynchronize();
        long dt = System.nanoTime() - t0;
        long[] c = TOTALS.computeIfAbsent(name, k -> new long[2]);
        synchronized (c) {
            c[0]++;
            c[1] += dt;
        }
    }

    static void reset() { TOTALS.clear(); }

    /** The totals, largest first, with each one's share of the sum. */
    static void print(PrintStream out) {
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(TOTALS.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        double sum = 0;
        for (Map.Entry<String, long[]> e : rows) sum += e.getValue()[1];
        out.printf(Locale.ROOT, "cuda profile: %.1f ms in %d kinds of operation (each timed alone)%n", sum / 1e6, rows.size());
        out.printf(Locale.ROOT, "  %10s %8s %9s %6s  %s%n", "total ms", "calls", "us/call", "share", "operation");
        for (Map.Entry<String, long[]> e : rows) {
            long[] c = e.getValue();
            out.printf(Locale.ROOT, "  %10.2f %8d %9.1f %5.1f%%  %s%n", c[1] / 1e6, c[0], c[1] / 1e3 / c[0], 100 * c[1] / sum, e.getKey());
        }
    }
}

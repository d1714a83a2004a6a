package clipcl.tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An opt-in wall-clock timer for the steps of a forward pass (which GEMM, layer_norm, softmax,
 * copies...), summed per label. Off unless {@link #enable} is called or {@code -Dclipcl.profile=true}
 * is set; when off, {@link #start} returns 0 and {@link #stop} does nothing but test it, so the
 * timed code runs as before. The CPU kernels are synchronous, so the time between start and stop
 * is that step's on every thread it used. Not meant for the CUDA backend (its launches return
 * before the work is done). One thread times at a time: the forward pass's caller.
 */
public final class OpProfile {
    private static volatile boolean on = Boolean.getBoolean("clipcl.profile");
    private static final Map<String, long[]> TOTALS = new LinkedHashMap<>();

    private OpProfile() { }

    public static void enable(boolean enabled) { on = enabled; }

    public static boolean enabled() { return on; }

    /** A start time for {@link #stop}, or 0 when the profile is off. */
    public static long start() { return on ? System.nanoTime() : 0L; }

    /** Adds the time since t0 (from {@link #start}) to label's total and count; nothing when t0 is 0. */
    public static void stop(String label, long t0) {
        if (t0 == 0L) return;
        long dt = System.nanoTime() - t0;
        synchronized (TOTALS) {
            long[] s = TOTALS.computeIfAbsent(label, x -> new long[2]);
            s[0] += dt;
            s[1]++;
        }
    }

    /** label -> {total nanoseconds, calls}, in the order the labels were first seen. */
    public static Map<String, long[]> snapshot() {
        synchronized (TOTALS) {
            Map<String, long[]> copy = new LinkedHashMap<>();
            TOTALS.forEach((k, v) -> copy.put(k, v.clone()));
            return copy;
        }
    }

    public static void reset() {
        synchronized (TOTALS) { TOTALS.clear(); }
    }
}

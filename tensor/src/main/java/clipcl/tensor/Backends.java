package clipcl.tensor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds the backend for a device. Providers come from {@link ServiceLoader}; the highest rank
 * that is available wins. {@code -Dclipcl.backend=reference} (or {@code vector}) forces the CPU
 * backend by name, for example to run everything on the scalar reference.
 */
public final class Backends {
    private static volatile Backend cpu;
    private static volatile List<BackendProvider> providers;

    private Backends() { }

    public static Backend get(Device device) {
        if (device.kind() == Device.Kind.CPU) return cpu();
        if (device.kind() == Device.Kind.TEST) return clipcl.tensor.strict.StrictBackend.get(device);
        StringBuilder why = new StringBuilder();
        for (BackendProvider p : providers()) {
            if (p.device() != device.kind()) continue;
            if (p.available()) return p.create(device);
            why.append(" ").append(p.name()).append(": ").append(p.whyUnavailable()).append(".");
        }
        if (why.isEmpty()) throw new IllegalStateException("no backend for device " + device + ": the clipcl cuda-kernels jar is not on the class path");
        throw new IllegalStateException("no backend for device " + device + ":" + why);
    }

    public static Backend cpu() {
        Backend b = cpu;
        if (b == null) {
            synchronized (Backends.class) {
                if (cpu == null) cpu = chooseCpu();
                b = cpu;
            }
        }
        return b;
    }

    /** Replaces the CPU backend (tests run both). Returns the previous one. */
    public static synchronized Backend setCpu(Backend b) {
        Backend old = cpu();
        cpu = b;
        return old;
    }

    /** Whether a device of this kind can be used now. */
    public static boolean available(Device.Kind kind) {
        if (kind == Device.Kind.CPU || kind == Device.Kind.TEST) return true;
        for (BackendProvider p : providers()) if (p.device() == kind && p.available()) return true;
        return false;
    }

    private static Backend chooseCpu() {
        String forced = System.getProperty("clipcl.backend");
        List<BackendProvider> ps = new ArrayList<>();
        for (BackendProvider p : providers()) if (p.device() == Device.Kind.CPU) ps.add(p);
        if (forced != null) {
            for (BackendProvider p : ps) if (p.name().equalsIgnoreCase(forced)) {
                if (!p.available()) throw new IllegalStateException("backend '" + forced + "' forced by -Dclipcl.backend is not available here");
                return p.create(Device.CPU);
            }
            throw new IllegalStateException("unknown backend '" + forced + "' in -Dclipcl.backend; known: " + ps.stream().map(BackendProvider::name).toList());
        }
        for (BackendProvider p : ps) if (p.available()) return p.create(Device.CPU);
        return new ReferenceBackend();
    }

    private static List<BackendProvider> providers() {
        List<BackendProvider> ps = providers;
        if (ps == null) {
            List<BackendProvider> l = new ArrayList<>();
            ServiceLoader.load(BackendProvider.class).forEach(l::add);
            l.sort(Comparator.comparingInt(BackendProvider::rank).reversed());
            providers = ps = l;
        }
        return ps;
    }
}

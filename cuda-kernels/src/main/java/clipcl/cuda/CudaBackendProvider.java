package clipcl.cuda;

import clipcl.tensor.Backend;
import clipcl.tensor.BackendProvider;
import clipcl.tensor.Device;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.cuda.global.cudart;

/**
 * ServiceLoader entry for the CUDA backend. Available when JavaCPP's CUDA natives load (the
 * linux-x86_64 jars and the CUDA libraries are on the machine) and cudaGetDeviceCount reports a
 * GPU; the answer, and why not, is computed once. One {@link CudaBackend} per device index.
 */
public final class CudaBackendProvider implements BackendProvider {
    private static volatile String unavailable;  // null: not probed yet; "": available
    private static final Map<Integer, CudaBackend> BACKENDS = new ConcurrentHashMap<>();

    @Override
    public String name() { return "cuda"; }

    @Override
    public Device.Kind device() { return Device.Kind.CUDA; }

    @Override
    public int rank() { return 100; }

    @Override
    public boolean available() { return isAvailable(); }

    @Override
    public Backend create(Device device) { return backend(device.index()); }

    @Override
    public String whyUnavailable() { return probe(); }

    /** Whether a GPU can be used from here (natives load and at least one device answers). */
    public static boolean isAvailable() { return probe().isEmpty(); }

    /** Why the CUDA backend is unavailable ("" when it is available). */
    public static String unavailableReason() { return probe(); }

    /** The backend of GPU {@code index}, created on first use. */
    public static CudaBackend backend(int index) {
        String why = probe();
        if (!why.isEmpty()) throw new IllegalStateException("no CUDA device: " + why);
        return BACKENDS.computeIfAbsent(index, i -> {
            int count = deviceCount();
            if (i < 0 || i >= count) throw new IllegalArgumentException("no device cuda:" + i + ": this machine has " + count + " GPU(s)");
            return new CudaBackend(new CudaDevice(i));
        });
    }

    /** Releases every device's memory, modules and handles (tensors still on a GPU must not be used afterwards). */
    public static synchronized void closeAll() {
        for (CudaBackend b : BACKENDS.values()) b.device().close();
        BACKENDS.clear();
    }

    private static String probe() {
        String u = unavailable;
        if (u == null) {
            synchronized (CudaBackendProvider.class) {
                if (unavailable == null) unavailable = check();
                u = unavailable;
            }
        }
        return u;
    }

    private static String check() {
        if (Boolean.getBoolean("clipcl.cuda.disable")) return "disabled by -Dclipcl.cuda.disable=true";
        try {
            int n = deviceCount();
            return n > 0 ? "" : "cudaGetDeviceCount found no GPU";
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            // No JavaCPP natives for this platform, or no CUDA libraries for them to link against.
            return "JavaCPP CUDA natives did not load (" + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()) + ")";
        } catch (CudaException e) {
            return e.getMessage();
        }
    }

    private static int deviceCount() {
        int[] n = new int[1];
        int s = cudart.cudaGetDeviceCount(n);
        if (s == cudart.cudaErrorNoDevice || s == cudart.cudaErrorInsufficientDriver) return 0;
        Check.rt(s, "cudaGetDeviceCount");
        return n[0];
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}

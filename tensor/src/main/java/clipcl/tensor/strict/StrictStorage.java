package clipcl.tensor.strict;

import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Scope;
import clipcl.tensor.Shape;
import clipcl.tensor.Storage;
import clipcl.tensor.Tensor;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Memory of the strict test device: host memory, but not a {@link HeapStorage}, so the CPU backends
 * and element access refuse it exactly as they refuse GPU memory. Only {@link StrictBackend} looks
 * inside. Live storages are counted, so a test can see device memory that was never released.
 */
final class StrictStorage extends Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Device device;
    private final Tensor host; // a flat view owning one reference to the host array
    private final AtomicBoolean freed = new AtomicBoolean();

    StrictStorage(Device device, DType dtype, int n) {
        super(dtype, n);
        this.device = device;
        this.host = Scope.detach(Tensor.wrap(HeapStorage.allocate(dtype, n), Shape.of(n), new int[] {1}, 0));
        long bytes = (long) n * dtype.byteSize();
        StrictBackend.allocated(bytes);
        // Device memory that the garbage collector finds before any tensor released it is a leak
        // (on a GPU it would stay allocated until the allocator is closed): count it.
        AtomicBoolean f = freed;
        CLEANER.register(this, () -> { if (!f.get()) StrictBackend.leaked(bytes); });
    }

    @Override
    public Device device() { return device; }

    /** The host storage behind this one. */
    Storage hostStorage() { return host.storage(); }

    @Override
    protected void free() {
        freed.set(true);
        host.close();
        StrictBackend.freed((long) size() * dtype().byteSize());
    }
}

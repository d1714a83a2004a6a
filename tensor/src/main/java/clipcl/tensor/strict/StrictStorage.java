package clipcl.tensor.strict;

import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Scope;
import clipcl.tensor.Shape;
import clipcl.tensor.Storage;
import clipcl.tensor.Tensor;

/**
 * Memory of the strict test device: host memory, but not a {@link HeapStorage}, so the CPU backends
 * and element access refuse it exactly as they refuse GPU memory. Only {@link StrictBackend} looks
 * inside. Live storages are counted, so a test can see device memory that was never released.
 */
final class StrictStorage extends Storage {
    private final Device device;
    private final Tensor host; // a flat view owning one reference to the host array

    StrictStorage(Device device, DType dtype, int n) {
        super(dtype, n);
        this.device = device;
        this.host = Scope.detach(Tensor.wrap(HeapStorage.allocate(dtype, n), Shape.of(n), new int[] {1}, 0));
        StrictBackend.allocated((long) n * dtype.byteSize());
    }

    @Override
    public Device device() { return device; }

    /** The host storage behind this one. */
    Storage hostStorage() { return host.storage(); }

    @Override
    protected void free() {
        host.close();
        StrictBackend.freed((long) size() * dtype().byteSize());
    }
}

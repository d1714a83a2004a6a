package clipcl.cuda;

import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.Storage;

/**
 * Device memory for one tensor storage: a block from its device's {@link CachingAllocator}, given
 * back (to the cache, not to the driver) when the last tensor using it is closed, through the same
 * reference counting and {@link clipcl.tensor.Scope}s as host memory.
 */
public final class CudaStorage extends Storage {
    private final CudaDevice device;
    private final long bytes;
    private volatile long address;

    CudaStorage(CudaDevice device, DType dtype, int size) {
        super(dtype, size);
        if (dtype == DType.F64) {
            throw new IllegalArgumentException("cuda: F64 tensors are not supported on the GPU (float64 stays on the CPU reference backend); convert with .to(DType.F32) first");
        }
        this.device = device;
        this.bytes = Math.max(1L, (long) size * dtype.byteSize());
        this.address = device.allocator().allocate(bytes);
    }

    @Override
    public Device device() { return device.device(); }

    CudaDevice cudaDevice() { return device; }

    /** Device address of element {@code index}. */
    long address(long index) {
        long a = address;
        if (a == 0) throw new IllegalStateException("cuda tensor memory used after it was closed");
        return a + index * dtype().byteSize();
    }

    @Override
    protected void free() {
        long a = address;
        address = 0;
        if (a != 0) device.allocator().release(a, bytes);
    }
}

package clipcl.cuda;

import clipcl.tensor.Device;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * One GPU's resources: its primary context, one stream that every kernel, copy and GEMM of this
 * device runs on (so ordering needs no events), the caching allocator, a pinned staging buffer, the
 * kernel modules, a cuBLAS handle and a small device word for kernels to report bad indices.
 * Made once per device by {@link CudaBackendProvider}; {@link #close} releases all of it.
 */
final class CudaDevice implements AutoCloseable {
    private final int index;
    private final Device device;
    private final CUstream_st stream = new CUstream_st();
    private final CachingAllocator allocator;
    private final PinnedBuffer pinned = new PinnedBuffer();
    private final KernelModule kernels = new KernelModule();
    private final int smCount, computeMajor;
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);
    private Cublas cublas;
    private long flag;
    private boolean closed;

    CudaDevice(int index) {
        this.index = index;
        this.device = Device.cuda(index);
        makeCurrent();
        Check.rt(cudart.cudaFree(null), "cudaFree(null) (context creation on cuda:" + index + ")");
        Check.rt(cudart.cudaStreamCreateWithFlags(stream, cudart.cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
        int[] v = new int[1];
        Check.rt(cudart.cudaDeviceGetAttribute(v, cudart.cudaDevAttrMultiProcessorCount, index), "cudaDeviceGetAttribute(MultiProcessorCount)");
        smCount = v[0];
        Check.rt(cudart.cudaDeviceGetAttribute(v, cudart.cudaDevAttrComputeCapabilityMajor, index), "cudaDeviceGetAttribute(ComputeCapabilityMajor)");
        computeMajor = v[0];
        allocator = new CachingAllocator(new RawMemory() {
            @Override
            public long malloc(long bytes) {
                Pointer p = new Pointer();
                long t0 = CudaProfile.start();
                int s = cudart.cudaMalloc(p, bytes);
                CudaProfile.end("cudaMalloc", t0);
                if (s == cudart.cudaErrorMemoryAllocation) {
                    cudart.cudaGetLastError();  // clear the sticky-free error so later calls do not see it
                    return 0;
                }
                Check.rt(s, "cudaMalloc(" + bytes + " bytes)");
                return p.address();
            }

            @Override
            public void free(long address) {
                long t0 = CudaProfile.start();
                Check.rt(cudart.cudaFree(new DevicePointer(address)), "cudaFree");
                CudaProfile.end("cudaFree", t0);
            }
        });
    }

    /** Makes this device current on the calling thread (the runtime's current device is per thread). */
    void makeCurrent() {
        if (!current.get()) {
            Check.rt(cudart.cudaSetDevice(index), "cudaSetDevice(" + index + ")");
            current.set(true);
        }
    }

    Device device() { return device; }

    CUstream_st stream() { return stream; }

    CachingAllocator allocator() { return allocator; }

    PinnedBuffer pinned() { return pinned; }

    KernelModule kernels() { return kernels; }

    int smCount() { return smCount; }

    int computeMajor() { return computeMajor; }

    synchronized Cublas cublas() {
        if (cublas == null) cublas = new Cublas(stream);
        return cublas;
    }

    /** Device address of a zeroed int for kernels to report the first bad index in. */
    synchronized long resetFlag() {
        if (flag == 0) flag = allocator.allocate(4);
        Check.rt(cudart.cudaMemsetAsync(new DevicePointer(flag), 0, 4, stream), "cudaMemsetAsync(flag)");
        return flag;
    }

    /** Waits for the stream and returns the flag (0: no bad index). */
    synchronized int readFlag() {
        try (IntPointer h = new IntPointer(1)) {
            Check.rt(cudart.cudaMemcpyAsync(h, new DevicePointer(flag), 4, cudart.cudaMemcpyDeviceToHost, stream), "cudaMemcpyAsync(flag)");
            synchronize();
            return h.get();
        }
    }

    void synchronize() {
        Check.rt(cudart.cudaStreamSynchronize(stream), "cudaStreamSynchronize(cuda:" + index + ")");
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        makeCurrent();
        synchronize();
        if (cublas != null) cublas.close();
        kernels.close();
        pinned.close();
        if (flag != 0) allocator.release(flag, 4);
        allocator.close();
        Check.rt(cudart.cudaStreamDestroy(stream), "cudaStreamDestroy");
    }
}

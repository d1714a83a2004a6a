package clipcl.cuda;

import clipcl.tensor.Backends;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Tensor;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.ShortPointer;
import org.bytedeco.cuda.global.cudart;

/**
 * Copies between host tensors (Java arrays) and device tensors through the device's pinned
 * buffer, in chunks of at most {@link PinnedBuffer#MAX} bytes. Conversions and host-side strides
 * are left to the CPU backend, device-side strides to the copy kernel, so each path moves one
 * contiguous run of bytes across the bus.
 */
final class Transfers {
    private Transfers() { }

    /** dst (on the device) = src (on the host), any dtypes and strides. */
    static void upload(CudaBackend backend, Tensor src, Tensor dst) {
        CudaDevice d = backend.device();
        long t0 = CudaProfile.start();
        Tensor converted = src.to(dst.dtype());          // host-side conversion, if any
        Tensor host = converted.contiguous();
        Tensor staging = dst.isContiguous() ? null : Tensor.empty(dst.dtype(), dst.device(), dst.shape());
        try {
            Tensor target = staging == null ? dst : staging;
            long dev = ((CudaStorage) target.storage()).address(target.offset());
            HeapStorage h = (HeapStorage) host.storage();
            int es = dst.dtype().byteSize(), n = host.numel(), off = host.offset();
            int chunk = (int) (PinnedBuffer.MAX / es);
            for (int start = 0; start < n; start += chunk) {
                int len = Math.min(chunk, n - start);
                BytePointer pin = d.pinned().get((long) len * es);
                switch (dst.dtype()) {
                    case F32 -> new FloatPointer(pin).put(h.f32(), off + start, len);
                    case I32 -> new IntPointer(pin).put(h.i32(), off + start, len);
                    case BF16, F16 -> new ShortPointer(pin).put(h.f16bits(), off + start, len);
                    case F64 -> throw new IllegalArgumentException("cuda: F64 tensors are not supported on the GPU");
                }
                Check.rt(cudart.cudaMemcpyAsync(new DevicePointer(dev + (long) start * es), pin, (long) len * es,
                        cudart.cudaMemcpyHostToDevice, d.stream()), "cudaMemcpyAsync(host to device, " + (long) len * es + " bytes)");
                d.synchronize();  // the pinned buffer is reused by the next chunk
            }
            if (staging != null) backend.copy(staging, dst);
        } finally {
            if (staging != null) staging.close();
            if (host != converted) host.close();
            if (converted != src) converted.close();
            CudaProfile.end("upload host to device", t0);
        }
    }

    /** dst (on the host) = src (on the device), any dtypes and strides. */
    static void download(CudaBackend backend, Tensor src, Tensor dst) {
        CudaDevice d = backend.device();
        long t0 = CudaProfile.start();
        Tensor dense = src.isContiguous() ? src : src.copy();  // device-side gather
        HeapStorage h = HeapStorage.allocate(src.dtype(), src.numel());
        Tensor host = Tensor.wrap(h, src.shape(), src.shape().contiguousStrides(), 0);
        try {
            long dev = ((CudaStorage) dense.storage()).address(dense.offset());
            int es = src.dtype().byteSize(), n = src.numel();
            int chunk = (int) (PinnedBuffer.MAX / es);
            for (int start = 0; start < n; start += chunk) {
                int len = Math.min(chunk, n - start);
                BytePointer pin = d.pinned().get((long) len * es);
                Check.rt(cudart.cudaMemcpyAsync(pin, new DevicePointer(dev + (long) start * es), (long) len * es,
                        cudart.cudaMemcpyDeviceToHost, d.stream()), "cudaMemcpyAsync(device to host, " + (long) len * es + " bytes)");
                d.synchronize();
                switch (src.dtype()) {
                    case F32 -> new FloatPointer(pin).get(h.f32(), start, len);
                    case I32 -> new IntPointer(pin).get(h.i32(), start, len);
                    case BF16, F16 -> new ShortPointer(pin).get(h.f16bits(), start, len);
                    case F64 -> throw new IllegalArgumentException("cuda: F64 tensors are not supported on the GPU");
                }
            }
            Backends.cpu().copy(host, dst);  // conversion and host strides
        } finally {
            host.close();
            if (dense != src) dense.close();
            CudaProfile.end("download device to host", t0);
        }
    }
}

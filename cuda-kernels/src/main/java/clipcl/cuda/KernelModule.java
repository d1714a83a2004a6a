package clipcl.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;

/**
 * Our kernels on one device: each family's fatbin (built by scripts/compile-cuda.sh into the jar
 * under {@code clipcl/cuda/kernels/}) is loaded with cuModuleLoadData the first time one of its
 * kernels runs; functions are looked up once. Launches go through the driver API's cuLaunchKernel
 * in the primary context that the runtime API made current.
 */
final class KernelModule implements AutoCloseable {
    static final String RESOURCE_DIR = "/clipcl/cuda/kernels/";

    /** A device pointer argument (0 is a C null pointer). */
    record Dev(long address) { }

    private final Map<String, CUmod_st> modules = new HashMap<>();
    private final Map<Kernel, CUfunc_st> functions = new EnumMap<>(Kernel.class);

    /** The fatbin bytes of a family, or an error that says how to build them. */
    static byte[] image(String family) {
        String path = RESOURCE_DIR + family + ".fatbin";
        try (InputStream in = KernelModule.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("cuda: kernel image " + path + " is not on the class path; build it with scripts/compile-cuda.sh (needs nvcc) before packaging cuda-kernels");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cuda: cannot read kernel image " + path + ": " + e.getMessage(), e);
        }
    }

    private synchronized CUfunc_st function(Kernel k) {
        CUfunc_st f = functions.get(k);
        if (f != null) return f;
        CUmod_st mod = modules.get(k.family);
        if (mod == null) {
            byte[] img = image(k.family);
            mod = new CUmod_st();
            try (BytePointer data = new BytePointer(img)) {
                Check.drv(cudart.cuModuleLoadData(mod, data), "cuModuleLoadData(" + k.family + ".fatbin)");
            }
            modules.put(k.family, mod);
        }
        f = new CUfunc_st();
        Check.drv(cudart.cuModuleGetFunction(f, mod, k.symbol), "cuModuleGetFunction(" + k.symbol + ")");
        functions.put(k, f);
        return f;
    }

    /** Bytes of the argument area: the largest kernel's arguments, each at an 8-byte-aligned slot. */
    private static final int ARG_BYTES = 1024, MAX_ARGS = 16;
    // Reused by every launch (the driver copies the values at cuLaunchKernel): a launch allocates no
    // native memory. Per-launch Pointer holders cost tens of microseconds each through JavaCPP's
    // allocation accounting, which made small kernels launch-bound.
    private final BytePointer argArea = new BytePointer(ARG_BYTES);
    private final LongPointer argAddresses = new LongPointer(MAX_ARGS);
    private final PointerPointer<Pointer> argList = new PointerPointer<>(argAddresses);

    /**
     * Launches kernel k on the stream with a 1-D grid (or 2-D: gridY > 1) and block, checking that
     * args match the kernel's declared parameters. Arguments: Integer, Float, Double, {@link Dev},
     * int[] (Layout, Strides) and float[] (AdamWParams).
     */
    synchronized void launch(Kernel k, CUstream_st stream, int gridX, int gridY, int blockX, int blockY, Object... args) {
        if (args.length != k.params.size()) {
            throw new IllegalArgumentException("cuda kernel " + k.symbol + " takes " + k.params.size() + " arguments, got " + args.length);
        }
        CUfunc_st f = function(k);
        long base = argArea.address();
        int off = 0;
        for (int i = 0; i < args.length; i++) {
            argAddresses.put(i, base + off);
            off = put(k, i, args[i], off);
        }
        long t0 = CudaProfile.start();
        int s = cudart.cuLaunchKernel(f, gridX, gridY, 1, blockX, blockY, 1, 0, stream, argList, null);
        if (s != cudart.CUDA_SUCCESS) {
            Check.drv(s, "cuLaunchKernel(" + k.symbol + ", grid " + gridX + "x" + gridY + ", block " + blockX + "x" + blockY + ")");
        }
        if (CudaProfile.ON) CudaProfile.end(CudaProfile.labelled(k.symbol), t0);
    }

    /** Writes argument i at byte offset off of the argument area; returns the next 8-byte-aligned offset. */
    private int put(Kernel k, int i, Object arg, int off) {
        Kernel.Param p = k.params.get(i);
        int bytes = switch (p) {
            case INT -> arg instanceof Integer v ? put4(off, v) : -1;
            case FLOAT -> arg instanceof Float v ? put4f(off, v) : -1;
            case DOUBLE -> {
                if (!(arg instanceof Double v)) yield -1;
                argArea.putDouble(off, v);
                yield 8;
            }
            case PTR -> {
                if (!(arg instanceof Dev d)) yield -1;
                argArea.putLong(off, d.address());
                yield 8;
            }
            case LAYOUT, STRIDES -> {
                if (!(arg instanceof int[] a) || a.length != p.structLength()) yield -1;
                for (int j = 0; j < a.length; j++) argArea.putInt(off + 4L * j, a[j]);
                yield 4 * a.length;
            }
            case ADAMW -> {
                if (!(arg instanceof float[] a) || a.length != p.structLength()) yield -1;
                for (int j = 0; j < a.length; j++) argArea.putFloat(off + 4L * j, a[j]);
                yield 4 * a.length;
            }
        };
        if (bytes < 0) {
            throw new IllegalArgumentException("cuda kernel " + k.symbol + ": argument " + i + " must be " + p + ", got "
                    + (arg == null ? "null" : arg.getClass().getSimpleName()));
        }
        int next = (off + bytes + 7) & ~7;
        if (next > ARG_BYTES) throw new IllegalStateException("cuda kernel " + k.symbol + ": arguments exceed " + ARG_BYTES + " bytes");
        return next;
    }

    private int put4(int off, int v) {
        argArea.putInt(off, v);
        return 4;
    }

    private int put4f(int off, float v) {
        argArea.putFloat(off, v);
        return 4;
    }

    @Override
    public synchronized void close() {
        for (Map.Entry<String, CUmod_st> e : modules.entrySet()) Check.drv(cudart.cuModuleUnload(e.getValue()), "cuModuleUnload(" + e.getKey() + ")");
        modules.clear();
        functions.clear();
        argList.close();
        argAddresses.close();
        argArea.close();
    }
}

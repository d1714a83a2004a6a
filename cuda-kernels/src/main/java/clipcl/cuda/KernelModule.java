package clipcl.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
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

    /**
     * Launches kernel k on the stream with a 1-D grid (or 2-D: gridY > 1) and block, checking that
     * args match the kernel's declared parameters. Arguments: Integer, Float, Double, {@link Dev},
     * int[] (Layout, Strides) and float[] (AdamWParams).
     */
    void launch(Kernel k, CUstream_st stream, int gridX, int gridY, int blockX, int blockY, Object... args) {
        if (args.length != k.params.size()) {
            throw new IllegalArgumentException("cuda kernel " + k.symbol + " takes " + k.params.size() + " arguments, got " + args.length);
        }
        CUfunc_st f = function(k);
        Pointer[] holders = new Pointer[args.length];
        try (PointerPointer<Pointer> params = new PointerPointer<>(args.length)) {
            for (int i = 0; i < args.length; i++) {
                holders[i] = holder(k, i, args[i]);
                params.put(i, holders[i]);
            }
            String call = "cuLaunchKernel(" + k.symbol + ", grid " + gridX + "x" + gridY + ", block " + blockX + "x" + blockY + ")";
            // The driver copies the parameter values at launch, so the holders can go right after.
            Check.drv(cudart.cuLaunchKernel(f, gridX, gridY, 1, blockX, blockY, 1, 0, stream, params, null), call);
        } finally {
            for (Pointer h : holders) if (h != null) h.close();
        }
    }

    private static Pointer holder(Kernel k, int i, Object arg) {
        Kernel.Param p = k.params.get(i);
        Pointer h = switch (p) {
            case INT -> arg instanceof Integer v ? new IntPointer(1).put(v) : null;
            case FLOAT -> arg instanceof Float v ? new FloatPointer(1).put(v) : null;
            case DOUBLE -> arg instanceof Double v ? new DoublePointer(1).put(v) : null;
            case PTR -> arg instanceof Dev d ? new LongPointer(1).put(d.address()) : null;
            case LAYOUT, STRIDES -> arg instanceof int[] a && a.length == p.structLength() ? new IntPointer(a) : null;
            case ADAMW -> arg instanceof float[] a && a.length == p.structLength() ? new FloatPointer(a) : null;
        };
        if (h == null) {
            throw new IllegalArgumentException("cuda kernel " + k.symbol + ": argument " + i + " must be " + p + ", got "
                    + (arg == null ? "null" : arg.getClass().getSimpleName()));
        }
        return h;
    }

    @Override
    public synchronized void close() {
        for (Map.Entry<String, CUmod_st> e : modules.entrySet()) Check.drv(cudart.cuModuleUnload(e.getValue()), "cuModuleUnload(" + e.getKey() + ")");
        modules.clear();
        functions.clear();
    }
}

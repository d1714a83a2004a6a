package clipcl.peers;

import clipcl.bench.SgemmBench;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * libtorch's CPU matrix product (torch::mm_out / bmm_out, JavaCPP) as an in-JVM SGEMM peer. The
 * transposed-B shapes pass a transposed view, as x @ W^T does in PyTorch, so libtorch picks its own
 * BLAS flags. libtorch's worker threads need a large stack: run the JVM with -Xss16m.
 *
 * <p>This libtorch runs its products on the OpenBLAS it bundles, whose own thread pool ignores
 * torch::set_num_threads: left alone, "1 thread" uses every core (measured: 177 GFLOP/s at 256^3 on
 * a core whose FMA peak is 118). So OpenBLAS's thread count is set too, through its C entry point.
 */
public final class LibtorchSgemm implements SgemmBench.Peer {
    /** "libtorch (CPU capability usage: AVX512, BLAS_INFO=open, TORCH_VERSION=2.10.0)", from its build configuration. */
    @Override
    public String name() {
        String cfg = torch.show_config().getString();
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (String item : cfg.split("[,\\n]")) {
            String t = item.trim().replaceFirst("^- ", "").replaceFirst("^Build settings: ", "");
            if (t.startsWith("TORCH_VERSION") || t.startsWith("BLAS_INFO") || t.startsWith("CPU capability")) parts.add(t);
        }
        return "libtorch (" + String.join(", ", parts) + ")";
    }

    @Override
    public Runnable prepare(SgemmBench.Shape s, int threads, float[] a, float[] b) {
        setThreads(threads);
        Tensor ta = copy(a, s.batch(), s.m(), s.k());
        Tensor tb = s.transB() ? copy(b, s.batch(), s.n(), s.k()).transpose(1, 2) : copy(b, s.batch(), s.k(), s.n());
        Tensor tc = torch.zeros(s.batch(), s.m(), s.n());
        if (s.batch() == 1) {
            Tensor a2 = ta.select(0, 0), b2 = tb.select(0, 0), c2 = tc.select(0, 0);
            return () -> torch.mm_out(c2, a2, b2);
        }
        return () -> torch.bmm_out(tc, ta, tb);
    }

    /** Intra-op threads of libtorch and of the OpenBLAS it calls. */
    static void setThreads(int threads) {
        torch.set_num_threads(threads);
        MethodHandle set = Linker.nativeLinker().downcallHandle(SymbolLookup.loaderLookup().find("openblas_set_num_threads")
                .orElseThrow(() -> new IllegalStateException("libtorch's OpenBLAS (openblas_set_num_threads) is not loaded")),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        try {
            set.invokeExact(threads);
        } catch (Throwable e) {
            throw new IllegalStateException("openblas_set_num_threads(" + threads + ")", e);
        }
    }

    /** A libtorch-owned copy of x as [batch, rows, cols]. */
    private static Tensor copy(float[] x, int batch, int rows, int cols) {
        FloatPointer p = new FloatPointer(x);
        Tensor view = torch.from_blob(p, new long[] {batch, rows, cols}, new long[] {(long) rows * cols, cols, 1});
        Tensor owned = view.clone();
        p.close();
        return owned;
    }
}

package clipcl.peers;

import clipcl.bench.SgemmBench;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * libtorch's CPU matrix product (torch::mm_out / bmm_out, JavaCPP) as an in-JVM SGEMM peer. The
 * transposed-B shapes pass a transposed view, as x @ W^T does in PyTorch, so libtorch picks its own
 * BLAS flags. libtorch's worker threads need a large stack: run the JVM with -Xss16m.
 */
public final class LibtorchSgemm implements SgemmBench.Peer {
    @Override
    public String name() { return "libtorch " + torch.show_config().getString().lines()
            .filter(l -> l.contains("BLAS_INFO") || l.contains("CPU capability")).map(String::trim)
            .reduce((x, y) -> x + "; " + y).orElse(""); }

    @Override
    public Runnable prepare(SgemmBench.Shape s, int threads, float[] a, float[] b) {
        torch.set_num_threads(threads);
        Tensor ta = copy(a, s.batch(), s.m(), s.k());
        Tensor tb = s.transB() ? copy(b, s.batch(), s.n(), s.k()).transpose(1, 2) : copy(b, s.batch(), s.k(), s.n());
        Tensor tc = torch.zeros(s.batch(), s.m(), s.n());
        if (s.batch() == 1) {
            Tensor a2 = ta.select(0, 0), b2 = tb.select(0, 0), c2 = tc.select(0, 0);
            return () -> torch.mm_out(c2, a2, b2);
        }
        return () -> torch.bmm_out(tc, ta, tb);
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

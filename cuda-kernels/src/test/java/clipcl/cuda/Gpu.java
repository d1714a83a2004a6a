package clipcl.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;

/** Shared by the GPU tests: the skip where no GPU answers, random inputs, and comparisons. */
final class Gpu {
    static final Device CUDA = Device.cuda(0);

    private Gpu() { }

    /** Skips the calling test (with the reason) unless a GPU answers. */
    static CudaBackend require() {
        Assumptions.assumeTrue(CudaBackendProvider.isAvailable(), () -> "no CUDA device: " + CudaBackendProvider.unavailableReason());
        return CudaBackendProvider.backend(0);
    }

    static Tensor randn(Random r, int... dims) {
        int n = 1;
        for (int d : dims) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return Tensor.of(v, dims);
    }

    static Tensor uniform(Random r, double lo, double hi, int... dims) {
        int n = 1;
        for (int d : dims) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return Tensor.of(v, dims);
    }

    static Tensor gpu(Tensor cpu) { return cpu.to(CUDA); }

    /** Elementwise |got - want| <= atol + rtol |want|, NaN where want is NaN; got may be on the GPU. */
    static void assertClose(Tensor want, Tensor got, double rtol, double atol, String what) {
        assertArrayEquals(want.dims(), got.dims(), what + ": shape");
        double[] w = want.toDoubleArray(), g = got.toDoubleArray();
        for (int i = 0; i < w.length; i++) {
            boolean ok = Double.isNaN(w[i]) ? Double.isNaN(g[i]) : Double.isInfinite(w[i]) ? g[i] == w[i] : Math.abs(g[i] - w[i]) <= atol + rtol * Math.abs(w[i]);
            if (!ok) fail(what + ": element " + i + " is " + g[i] + ", expected " + w[i] + " (rtol " + rtol + ", atol " + atol + ")");
        }
    }

    /** ||got - want|| / ||want|| <= tol: for reduced-precision products, whose error is relative to the whole. */
    static void assertNormClose(Tensor want, Tensor got, double tol, String what) {
        double[] w = want.toDoubleArray(), g = got.toDoubleArray();
        assertEquals(w.length, g.length, what + ": size");
        double num = 0, den = 0;
        for (int i = 0; i < w.length; i++) {
            num += (g[i] - w[i]) * (g[i] - w[i]);
            den += w[i] * w[i];
        }
        double rel = Math.sqrt(num / Math.max(den, 1e-300));
        if (!(rel <= tol)) fail(what + ": relative error " + rel + " > " + tol);
    }

    static Tensor f32(Tensor t) { return t.to(DType.F32); }
}

package clipcl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The im2col convolution and the strided-view average pooling (float32, SGEMM on the CPU) against
 * scalar float64 loops written from the definitions, forward and both gradients.
 */
class Conv2dReferenceTest {
    /** Scalar conv2d: out[b,o,y,x] = bias[o] + sum_{c,i,j} in[b,c,y s + i - p, x s + j - p] w[o,c,i,j]. */
    static double[] conv(double[] in, int b, int c, int h, int w, double[] wt, int o, int kh, int kw, double[] bias, int s, int p, int oh, int ow) {
        double[] out = new double[b * o * oh * ow];
        for (int n = 0; n < b; n++) for (int q = 0; q < o; q++) for (int y = 0; y < oh; y++) for (int x = 0; x < ow; x++) {
            double acc = bias == null ? 0 : bias[q];
            for (int ch = 0; ch < c; ch++) for (int i = 0; i < kh; i++) for (int j = 0; j < kw; j++) {
                int yy = y * s + i - p, xx = x * s + j - p;
                if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                acc += in[((n * c + ch) * h + yy) * w + xx] * wt[((q * c + ch) * kh + i) * kw + j];
            }
            out[((n * o + q) * oh + y) * ow + x] = acc;
        }
        return out;
    }

    static void close(double[] want, float[] got, double tol, String what) {
        assertTrue(want.length == got.length, what + ": length");
        double scale = 0;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(want[i] - got[i]) <= tol * (1 + scale))) throw new AssertionError(what + ": element " + i + " is " + got[i] + ", expected " + want[i]);
        }
    }

    @ParameterizedTest(name = "b{0} c{1} {2}x{3} o{4} k{5}x{6} s{7} p{8}")
    @CsvSource({
        "2, 3, 9, 8, 4, 3, 3, 1, 1",
        "3, 2, 11, 10, 5, 3, 3, 2, 1",
        "2, 6, 5, 7, 3, 1, 1, 1, 0",
        "1, 4, 8, 8, 2, 2, 3, 2, 0",
        "2, 3, 16, 16, 8, 7, 7, 2, 3",
    })
    void convMatchesScalarLoops(int b, int c, int h, int w, int o, int kh, int kw, int s, int p) {
        try (Scope sc = Scope.open()) {
            Rng r = new Rng(11 + b * 7 + kh);
            Tensor x = r.normal(DType.F32, 0, 1, b, c, h, w), wt = r.normal(DType.F32, 0, 1, o, c, kh, kw), bias = r.normal(DType.F32, 0, 1, o);
            int oh = (h + 2 * p - kh) / s + 1, ow = (w + 2 * p - kw) / s + 1;
            double[] xd = x.toDoubleArray(), wd = wt.toDoubleArray();
            double[] want = conv(xd, b, c, h, w, wd, o, kh, kw, bias.toDoubleArray(), s, p, oh, ow);
            Tensor y = Conv2d.forward(x, wt, bias, s, p);
            assertArrayEquals(new int[] {b, o, oh, ow}, y.dims());
            close(want, y.toFloatArray(), 1e-5, "forward");
            // Gradients of L = sum(out * g) by the definition: dx and dw accumulate g times the other operand.
            Tensor g = r.normal(DType.F32, 0, 1, b, o, oh, ow);
            double[] gd = g.toDoubleArray(), dx = new double[xd.length], dw = new double[wd.length];
            for (int n = 0; n < b; n++) for (int q = 0; q < o; q++) for (int yy = 0; yy < oh; yy++) for (int xx = 0; xx < ow; xx++) {
                double gv = gd[((n * o + q) * oh + yy) * ow + xx];
                for (int ch = 0; ch < c; ch++) for (int i = 0; i < kh; i++) for (int j = 0; j < kw; j++) {
                    int iy = yy * s + i - p, ix = xx * s + j - p;
                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                    int xi = ((n * c + ch) * h + iy) * w + ix, wi = ((q * c + ch) * kh + i) * kw + j;
                    dx[xi] += gv * wd[wi];
                    dw[wi] += gv * xd[xi];
                }
            }
            close(dx, Conv2d.gradInput(g, wt, x.shape(), s, p).toFloatArray(), 1e-5, "grad input");
            close(dw, Conv2d.gradWeight(g, x, wt.shape(), s, p).toFloatArray(), 1e-5, "grad weight");
        }
    }

    @Test
    void chunkedBatchesGiveTheSameResult() {
        try (Scope sc = Scope.open()) {
            Rng r = new Rng(5);
            Tensor x = r.normal(DType.F32, 0, 1, 5, 3, 9, 9), wt = r.normal(DType.F32, 0, 1, 4, 3, 3, 3), g = r.normal(DType.F32, 0, 1, 5, 4, 5, 5);
            Tensor y = Conv2d.forward(x, wt, null, 2, 1), dx = Conv2d.gradInput(g, wt, x.shape(), 2, 1), dw = Conv2d.gradWeight(g, x, wt.shape(), 2, 1);
            long saved = Conv2d.columnBudget;
            Conv2d.columnBudget = 2 * 27 * 25;  // two images per chunk: chunks of 2, 2 and 1
            try {
                assertArrayEquals(y.toFloatArray(), Conv2d.forward(x, wt, null, 2, 1).toFloatArray(), "forward");
                assertArrayEquals(dx.toFloatArray(), Conv2d.gradInput(g, wt, x.shape(), 2, 1).toFloatArray(), "grad input");
                close(dw.toDoubleArray(), Conv2d.gradWeight(g, x, wt.shape(), 2, 1).toFloatArray(), 1e-6, "grad weight");
            } finally {
                Conv2d.columnBudget = saved;
            }
        }
    }

    @ParameterizedTest(name = "k{0} s{1} on {2}x{3}")
    @CsvSource({"2, 2, 7, 6", "3, 1, 5, 5", "2, 1, 4, 6", "3, 3, 10, 9"})
    void avgPoolMatchesScalarLoops(int k, int s, int h, int w) {
        try (Scope sc = Scope.open()) {
            Rng r = new Rng(k * 10 + s);
            int b = 2, c = 3, oh = (h - k) / s + 1, ow = (w - k) / s + 1;
            Tensor x = r.normal(DType.F32, 0, 1, b, c, h, w), g = r.normal(DType.F32, 0, 1, b, c, oh, ow);
            double[] xd = x.toDoubleArray(), gd = g.toDoubleArray(), want = new double[b * c * oh * ow], dx = new double[xd.length];
            for (int n = 0; n < b * c; n++) for (int y = 0; y < oh; y++) for (int xx = 0; xx < ow; xx++) {
                double acc = 0;
                for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) {
                    acc += xd[(n * h + y * s + i) * w + xx * s + j];
                    dx[(n * h + y * s + i) * w + xx * s + j] += gd[(n * oh + y) * ow + xx] / (k * k);
                }
                want[(n * oh + y) * ow + xx] = acc / (k * k);
            }
            close(want, AvgPool2d.forward(x, k, s).toFloatArray(), 1e-6, "forward");
            close(dx, AvgPool2d.backward(g, x.shape(), k, s).toFloatArray(), 1e-6, "backward");
        }
    }

    @Test
    void badShapesAreNamed() {
        try (Scope sc = Scope.open()) {
            Tensor x = Tensor.zeros(DType.F32, 1, 3, 8, 8);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Conv2d.forward(x, Tensor.zeros(DType.F32, 4, 2, 3, 3), null, 1, 1));
            assertTrue(e.getMessage().contains("3 channels") && e.getMessage().contains("groups = 1"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Conv2d.forward(x, Tensor.zeros(DType.F32, 4, 3, 9, 9), null, 1, 0));
            assertTrue(e.getMessage().contains("smaller than the kernel"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Conv2d.forward(x, Tensor.zeros(DType.F32, 4, 3, 3, 3), Tensor.zeros(DType.F32, 3), 1, 0));
            assertTrue(e.getMessage().contains("bias must be [4]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> AvgPool2d.forward(Tensor.zeros(DType.F32, 3, 8, 8), 2, 2));
            assertTrue(e.getMessage().contains("4-D"), e.getMessage());
        }
    }
}

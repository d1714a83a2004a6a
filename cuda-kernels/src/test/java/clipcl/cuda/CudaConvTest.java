package clipcl.cuda;

import static clipcl.cuda.Gpu.gpu;
import static clipcl.cuda.Gpu.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import clipcl.tensor.AvgPool2d;
import clipcl.tensor.Conv2d;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ResNet tower's convolution and pooling (im2col through strided views, tensor operations
 * only) on the CUDA backend against the CPU: the windows are read through overlapping strided
 * views of device storage and scattered back with strided in-place copies. Skipped without a GPU.
 */
@SuppressWarnings("try")
class CudaConvTest {
    final Random r = new Random(17);

    @BeforeEach
    void gpuOrSkip() { Gpu.require(); }

    @Test
    void conv2dForwardAndGradientsMatchTheCpu() {
        try (Scope s = Scope.open()) {
            int[][] cases = {{2, 8, 15, 15, 16, 3, 2, 1}, {3, 16, 14, 14, 32, 3, 1, 1}, {2, 12, 7, 7, 24, 1, 1, 0}, {1, 3, 32, 32, 8, 7, 2, 3}};
            for (int[] c : cases) {
                int b = c[0], ci = c[1], h = c[2], w = c[3], o = c[4], k = c[5], st = c[6], p = c[7];
                Tensor x = randn(r, b, ci, h, w), wt = randn(r, o, ci, k, k), bias = randn(r, o);
                Tensor y = Conv2d.forward(x, wt, bias, st, p);
                Tensor g = randn(r, y.dims());
                String what = "conv2d " + java.util.Arrays.toString(c);
                Tensor yg = Conv2d.forward(gpu(x), gpu(wt), gpu(bias), st, p);
                assertEquals(Gpu.CUDA, yg.device(), what + " stays on the GPU");
                Gpu.assertNormClose(y, yg, 1e-5, what + " forward");
                Gpu.assertNormClose(Conv2d.gradInput(g, wt, x.shape(), st, p), Conv2d.gradInput(gpu(g), gpu(wt), x.shape(), st, p), 1e-5, what + " grad input");
                Gpu.assertNormClose(Conv2d.gradWeight(g, x, wt.shape(), st, p), Conv2d.gradWeight(gpu(g), gpu(x), wt.shape(), st, p), 1e-5, what + " grad weight");
            }
        }
    }

    @Test
    void avgPoolForwardAndBackwardMatchTheCpu() {
        try (Scope s = Scope.open()) {
            for (int[] c : new int[][] {{2, 2}, {3, 1}, {2, 1}}) {
                Tensor x = randn(r, 2, 6, 9, 8);
                Tensor y = AvgPool2d.forward(x, c[0], c[1]);
                Tensor g = randn(r, y.dims());
                Gpu.assertClose(y, AvgPool2d.forward(gpu(x), c[0], c[1]), 1e-5, 1e-6, "avg_pool2d forward k" + c[0] + " s" + c[1]);
                Gpu.assertClose(AvgPool2d.backward(g, x.shape(), c[0], c[1]), AvgPool2d.backward(gpu(g), x.shape(), c[0], c[1]), 1e-5, 1e-6, "avg_pool2d backward k" + c[0] + " s" + c[1]);
            }
        }
    }
}

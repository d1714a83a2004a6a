package clipcl.cuda;

import static clipcl.cuda.Gpu.assertClose;
import static clipcl.cuda.Gpu.gpu;
import static clipcl.cuda.Gpu.randn;
import static org.junit.jupiter.api.Assertions.assertThrows;

import clipcl.tensor.DType;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The training kernels ({@link CudaTraining}) against float64 references written here from the
 * same formulas as the C references beside the kernels (whose gradients compile-cuda.sh checks by
 * finite differences). Skipped, with the reason, where no GPU answers.
 */
@SuppressWarnings("try")  // scopes close what the tests create
class CudaTrainingTest {
    final Random r = new Random(11);

    @BeforeEach
    void gpuOrSkip() { Gpu.require(); }

    @Test
    void softmaxBackward() {
        try (Scope s = Scope.open()) {
            int rows = 6, n = 77;
            Tensor x = randn(r, rows, n), dy = randn(r, rows, n);
            for (boolean log : new boolean[] {false, true}) {
                Tensor y = log ? x.logSoftmax(-1) : x.softmax(-1);
                double[] yv = y.toDoubleArray(), gv = dy.toDoubleArray(), want = new double[rows * n];
                for (int i = 0; i < rows; i++) {
                    double sum = 0;
                    for (int j = 0; j < n; j++) sum += log ? gv[i * n + j] : gv[i * n + j] * yv[i * n + j];
                    for (int j = 0; j < n; j++) {
                        int k = i * n + j;
                        want[k] = log ? gv[k] - Math.exp(yv[k]) * sum : yv[k] * (gv[k] - sum);
                    }
                }
                assertClose(Tensor.of(want, rows, n), CudaTraining.softmaxBackward(gpu(y), gpu(dy), log), 1e-5, 1e-6, (log ? "log_" : "") + "softmax backward");
            }
        }
    }

    @Test
    void layerNormForwardAndBackward() {
        try (Scope s = Scope.open()) {
            int rows = 300, n = 768;
            Tensor x = randn(r, rows, n).mul(3), w = randn(r, n), b = randn(r, n), dy = randn(r, rows, n);
            double[] xv = x.toDoubleArray(), wv = w.toDoubleArray(), gv = dy.toDoubleArray();
            double[] mean = new double[rows], rstd = new double[rows], dx = new double[rows * n], dw = new double[n], db = new double[n];
            for (int i = 0; i < rows; i++) {
                double m = 0, v = 0;
                for (int j = 0; j < n; j++) m += xv[i * n + j];
                m /= n;
                for (int j = 0; j < n; j++) v += (xv[i * n + j] - m) * (xv[i * n + j] - m);
                mean[i] = m;
                rstd[i] = 1 / Math.sqrt(v / n + 1e-5);
                double sg = 0, sgx = 0;
                for (int j = 0; j < n; j++) {
                    double xh = (xv[i * n + j] - m) * rstd[i], g = gv[i * n + j] * wv[j];
                    sg += g;
                    sgx += g * xh;
                    dw[j] += gv[i * n + j] * xh;
                    db[j] += gv[i * n + j];
                }
                for (int j = 0; j < n; j++) {
                    double xh = (xv[i * n + j] - m) * rstd[i];
                    dx[i * n + j] = rstd[i] * (gv[i * n + j] * wv[j] - sg / n - xh * sgx / n);
                }
            }
            CudaTraining.LayerNormResult f = CudaTraining.layerNorm(gpu(x), gpu(w), gpu(b), 1e-5f);
            assertClose(x.layerNorm(w, b, 1e-5), f.out(), 1e-5, 1e-5, "layer_norm forward");
            assertClose(Tensor.of(mean, rows), f.mean(), 1e-5, 1e-6, "saved mean");
            assertClose(Tensor.of(rstd, rows), f.rstd(), 1e-5, 0, "saved rstd");
            CudaTraining.LayerNormGrads g = CudaTraining.layerNormBackward(gpu(dy), gpu(x), gpu(w), f.mean(), f.rstd(), true, true);
            assertClose(Tensor.of(dx, rows, n), g.dx(), 1e-4, 1e-5, "layer_norm dx");
            assertClose(Tensor.of(dw, n), g.dWeight(), 1e-4, 1e-4, "layer_norm dweight (column sums over 300 rows)");
            assertClose(Tensor.of(db, n), g.dBias(), 1e-4, 1e-4, "layer_norm dbias");
        }
    }

    @Test
    void quickGeluForwardAndBackward() {
        try (Scope s = Scope.open()) {
            Tensor x = randn(r, 1000).mul(4), dy = randn(r, 1000);
            double[] xv = x.toDoubleArray(), gv = dy.toDoubleArray(), want = new double[1000];
            for (int i = 0; i < 1000; i++) {
                double sg = 1 / (1 + Math.exp(-1.702 * xv[i]));
                want[i] = gv[i] * (sg + 1.702 * xv[i] * sg * (1 - sg));
            }
            assertClose(x.quickGelu(), CudaTraining.quickGelu(gpu(x)), 1e-5, 1e-6, "quick_gelu forward");
            assertClose(Tensor.of(want, 1000), CudaTraining.quickGeluBackward(gpu(x), gpu(dy)), 1e-5, 1e-6, "quick_gelu backward");
        }
    }

    @Test
    void crossEntropyForwardAndBackward() {
        try (Scope s = Scope.open()) {
            int rows = 256, C = 256;
            Tensor logits = randn(r, rows, C).mul(5), dloss = Tensor.full(1.0 / rows, DType.F32, rows);
            int[] t = new int[rows];
            for (int i = 0; i < rows; i++) t[i] = r.nextInt(C);
            Tensor targets = Tensor.of(t, rows);
            Tensor logp = logits.logSoftmax(-1);
            double[] lp = logp.toDoubleArray(), want = new double[rows], grad = new double[rows * C];
            for (int i = 0; i < rows; i++) {
                want[i] = -lp[i * C + t[i]];
                for (int c = 0; c < C; c++) grad[i * C + c] = (Math.exp(lp[i * C + c]) - (c == t[i] ? 1 : 0)) / rows;
            }
            CudaTraining.CrossEntropyResult f = CudaTraining.crossEntropy(gpu(logits), gpu(targets));
            assertClose(Tensor.of(want, rows), f.loss(), 1e-5, 1e-5, "cross-entropy loss");
            assertClose(Tensor.of(grad, rows, C), CudaTraining.crossEntropyBackward(gpu(logits), gpu(targets), f.lse(), gpu(dloss)), 1e-5, 1e-8, "cross-entropy grad");
            t[7] = C;
            assertThrows(IndexOutOfBoundsException.class, () -> CudaTraining.crossEntropy(gpu(logits), gpu(Tensor.of(t, rows))));
        }
    }

    @Test
    void softmaxKlForwardAndBackward() {
        try (Scope s = Scope.open()) {
            int rows = 64, C = 100;
            Tensor teacher = randn(r, rows, C).mul(3), student = randn(r, rows, C).mul(3), dkl = randn(r, rows);
            for (float T : new float[] {1f, 2f}) {
                double[] lp = teacher.div(T).logSoftmax(-1).toDoubleArray(), lq = student.div(T).logSoftmax(-1).toDoubleArray(), gv = dkl.toDoubleArray();
                double[] kl = new double[rows], ds = new double[rows * C];
                for (int i = 0; i < rows; i++) {
                    for (int c = 0; c < C; c++) {
                        int k = i * C + c;
                        kl[i] += Math.exp(lp[k]) * (lp[k] - lq[k]);
                        ds[k] = (Math.exp(lq[k]) - Math.exp(lp[k])) / T * gv[i];
                    }
                }
                assertClose(Tensor.of(kl, rows), CudaTraining.softmaxKl(gpu(teacher), gpu(student), T), 1e-4, 1e-6, "softmax-KL T=" + T);
                assertClose(Tensor.of(ds, rows, C), CudaTraining.softmaxKlBackward(gpu(teacher), gpu(student), gpu(dkl), T), 1e-5, 1e-7, "softmax-KL grad T=" + T);
            }
        }
    }

    @Test
    void adamwMatchesTorchFormulas() {
        try (Scope s = Scope.open()) {
            int n = 5000;
            double lr = 1e-3, b1 = 0.9, b2 = 0.99, eps = 1e-8, wd = 0.2;
            Tensor p0 = randn(r, n);
            double[] p = p0.toDoubleArray(), m = new double[n], v = new double[n];
            Tensor gp = gpu(p0), gm = gpu(Tensor.zeros(DType.F32, n)), gv = gpu(Tensor.zeros(DType.F32, n));
            Tensor bf = Tensor.empty(DType.BF16, Gpu.CUDA, n);
            for (int step = 1; step <= 3; step++) {
                Tensor g = randn(r, n);
                double[] gg = g.toDoubleArray();
                double bc1 = 1 - Math.pow(b1, step), bc2 = 1 - Math.pow(b2, step);
                for (int i = 0; i < n; i++) {
                    p[i] *= 1 - lr * wd;
                    m[i] = b1 * m[i] + (1 - b1) * gg[i];
                    v[i] = b2 * v[i] + (1 - b2) * gg[i] * gg[i];
                    p[i] -= lr * (m[i] / bc1) / (Math.sqrt(v[i] / bc2) + eps);
                }
                CudaTraining.adamwStep(gp, gpu(g), gm, gv, bf, (float) lr, (float) b1, (float) b2, (float) eps, (float) wd, step, 1f);
            }
            assertClose(Tensor.of(p, n), gp, 1e-5, 1e-6, "AdamW parameters after 3 steps");
            assertClose(gp.to(DType.BF16), bf, 0, 0, "BF16 copy of the updated parameters");
        }
    }
}

package clipcl.cuda;

import static clipcl.cuda.Gpu.assertClose;
import static clipcl.cuda.Gpu.gpu;
import static clipcl.cuda.Gpu.randn;
import static org.junit.jupiter.api.Assertions.assertThrows;

import clipcl.tensor.AdamStep;
import clipcl.tensor.DType;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;
import clipcl.tensor.UnaryOp;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend's training kernels, called through the {@link Training} front end as autograd
 * calls them, against float64 references written here from the
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
                assertClose(Tensor.of(want, rows, n), Training.softmaxBackward(gpu(y), gpu(dy), -1, log, 1.0), 1e-5, 1e-6, (log ? "log_" : "") + "softmax backward");
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
            Tensor[] f = Training.layerNormForward(gpu(x), gpu(w), gpu(b), 1e-5);
            assertClose(x.layerNorm(w, b, 1e-5), f[0], 1e-5, 1e-5, "layer_norm forward");
            assertClose(Tensor.of(mean, rows), f[1], 1e-5, 1e-6, "saved mean");
            assertClose(Tensor.of(rstd, rows), f[2], 1e-5, 0, "saved rstd");
            for (boolean saved : new boolean[] {true, false}) {
                Tensor[] g = Training.layerNormBackward(gpu(dy), gpu(x), gpu(w), 1e-5, saved ? f[1] : null, saved ? f[2] : null, true, true, true);
                String how = saved ? " (saved statistics)" : " (recomputed statistics)";
                assertClose(Tensor.of(dx, rows, n), g[0], 1e-4, 1e-5, "layer_norm dx" + how);
                assertClose(Tensor.of(dw, n), g[1], 1e-4, 1e-4, "layer_norm dweight (column sums over 300 rows)" + how);
                assertClose(Tensor.of(db, n), g[2], 1e-4, 1e-4, "layer_norm dbias" + how);
            }
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
            assertClose(x.quickGelu(), gpu(x).quickGelu(), 1e-5, 1e-6, "quick_gelu forward");
            assertClose(Tensor.of(want, 1000), Training.unaryBackward(UnaryOp.QUICK_GELU, gpu(x), gpu(dy)), 1e-5, 1e-6, "quick_gelu backward");
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
            Tensor[] f = Training.crossEntropy(gpu(logits), gpu(targets));
            assertClose(Tensor.of(want, rows), f[0], 1e-5, 1e-5, "cross-entropy loss");
            assertClose(Tensor.of(grad, rows, C), Training.crossEntropyBackward(gpu(logits), gpu(targets), f[1], gpu(dloss)), 1e-5, 1e-8, "cross-entropy grad");
            t[7] = C;
            assertThrows(IndexOutOfBoundsException.class, () -> Training.crossEntropy(gpu(logits), gpu(Tensor.of(t, rows))));
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
                assertClose(Tensor.of(kl, rows), Training.softmaxKl(gpu(teacher), gpu(student), T), 1e-4, 1e-6, "softmax-KL T=" + T);
                assertClose(Tensor.of(ds, rows, C), Training.softmaxKlBackward(gpu(teacher), gpu(student), T, gpu(dkl), false, true)[1], 1e-5, 1e-7, "softmax-KL grad T=" + T);
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
                Training.adamStep(gp, gpu(g), gm, gv, new AdamStep(lr, b1, b2, eps, wd, true, step));
            }
            assertClose(Tensor.of(p, n), gp, 1e-5, 1e-6, "AdamW parameters after 3 steps");
        }
    }

    @Test
    void scatterAddAndIndexAddMatchTheCpu() {
        try (Scope s = Scope.open()) {
            Tensor src = randn(r, 40, 16);
            int[] idx = new int[40];
            for (int i = 0; i < 40; i++) idx[i] = r.nextInt(10);
            Tensor index = Tensor.of(idx, 40);
            Tensor want = Tensor.zeros(DType.F32, 10, 16), got = gpu(Tensor.zeros(DType.F32, 10, 16));
            Training.indexAdd(want, 0, index, src);
            Training.indexAdd(got, 0, gpu(index), gpu(src));
            assertClose(want, got, 1e-6, 1e-6, "index_add (embedding backward) through scatter_add");
            idx[3] = 10;
            assertThrows(IndexOutOfBoundsException.class, () -> Training.indexAdd(gpu(Tensor.zeros(DType.F32, 10, 16)), 0, gpu(Tensor.of(idx, 40)), gpu(src)));
        }
    }

    @Test
    void linearAndAddIntoMatchTheCpu() {
        try (Scope s = Scope.open()) {
            Tensor x = randn(r, 37, 48), w = randn(r, 20, 48), b = randn(r, 20);
            assertClose(Training.linear(x, w, b), Training.linear(gpu(x), gpu(w), gpu(b)), 1e-5, 1e-5, "linear with bias");
            Tensor xt = randn(r, 48, 37).mT();                                  // a transposed input
            assertClose(Training.linear(xt, w, null), Training.linear(gpu(xt), gpu(w), null), 1e-5, 1e-5, "linear, transposed input, no bias");
            Tensor acc = Tensor.zeros(DType.F32, 6, 8), gacc = gpu(acc), part = randn(r, 6, 3);
            Tensor.addInto(acc.narrow(1, 2, 3), part);
            Tensor.addInto(gacc.narrow(1, 2, 3), gpu(part));                   // a strided destination
            Tensor.addInto(acc, part.sum(1, true));
            Tensor.addInto(gacc, gpu(part).sum(1, true));                      // dense, broadcast source
            assertClose(acc, gacc, 1e-6, 1e-6, "addInto");
        }
    }
}

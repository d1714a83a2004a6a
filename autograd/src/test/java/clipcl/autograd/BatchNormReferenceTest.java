package clipcl.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.nn.BatchNorm2d;
import clipcl.autograd.nn.Init;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Batch norm (float32) against scalar float64 loops: both modes, the running statistics, the frozen option. */
class BatchNormReferenceTest {
    static final int B = 3, C = 4, H = 5, W = 2;

    /** Per channel: mean and biased variance over B, H, W. */
    static double[][] stats(double[] x) {
        double[] mean = new double[C], var = new double[C];
        int n = B * H * W;
        for (int b = 0; b < B; b++) for (int c = 0; c < C; c++) for (int i = 0; i < H * W; i++) mean[c] += x[(b * C + c) * H * W + i] / n;
        for (int b = 0; b < B; b++) for (int c = 0; c < C; c++) for (int i = 0; i < H * W; i++) {
            double d = x[(b * C + c) * H * W + i] - mean[c];
            var[c] += d * d / n;
        }
        return new double[][] {mean, var};
    }

    static void check(double[] x, double[] mean, double[] var, double[] w, double[] bias, float[] got) {
        for (int b = 0; b < B; b++) for (int c = 0; c < C; c++) for (int i = 0; i < H * W; i++) {
            int k = (b * C + c) * H * W + i;
            double want = (x[k] - mean[c]) / Math.sqrt(var[c] + 1e-5) * w[c] + bias[c];
            assertEquals(want, got[k], 2e-5 * (1 + Math.abs(want)), "element " + k);
        }
    }

    @Test
    void trainingEvalAndFrozenMatchTheDefinition() {
        try (Scope s = Scope.open()) {
            BatchNorm2d bn = new BatchNorm2d(C, Init.f32(1));
            Rng r = new Rng(2);
            double[] w = r.uniform(DType.F64, 0.5, 1.5, C).toDoubleArray(), bias = r.normal(DType.F64, 0, 1, C).toDoubleArray();
            bn.parameter("weight").data().copyFrom(Tensor.of(w, C));
            bn.parameter("bias").data().copyFrom(Tensor.of(bias, C));
            Tensor x = r.normal(DType.F32, 0.3, 2.0, B, C, H, W);
            double[] xd = x.toDoubleArray();
            double[][] st = stats(xd);

            check(xd, st[0], st[1], w, bias, bn.forward(Var.constant(x)).data().toFloatArray());
            int n = B * H * W;
            for (int c = 0; c < C; c++) {
                assertEquals(0.1 * st[0][c], bn.runningMean().getFlat(c), 1e-6, "running mean");
                assertEquals(0.9 + 0.1 * st[1][c] * n / (n - 1), bn.runningVar().getFlat(c), 1e-5, "running var (unbiased)");
            }
            assertEquals(1, bn.batchesTracked());

            double[] rm = bn.runningMean().toDoubleArray(), rv = bn.runningVar().toDoubleArray();
            bn.eval();
            check(xd, rm, rv, w, bias, bn.forward(Var.constant(x)).data().toFloatArray());
            assertEquals(1, bn.batchesTracked(), "eval mode tracks nothing");

            bn.train(true);
            bn.setFrozen(true);
            check(xd, rm, rv, w, bias, bn.forward(Var.constant(x)).data().toFloatArray());
            assertEquals(rm[0], bn.runningMean().getFlat(0), 0.0, "frozen: statistics unchanged");
            assertEquals(1, bn.batchesTracked());
        }
    }

    @Test
    void badInputsAreNamed() {
        try (Scope s = Scope.open()) {
            BatchNorm2d bn = new BatchNorm2d(C, Init.f32(1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Var.constant(Tensor.zeros(DType.F32, 2, 3, 4, 4))));
            assertTrue(e.getMessage().contains("[B, 4, H, W]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Var.constant(Tensor.zeros(DType.F32, 1, C, 1, 1))));
            assertTrue(e.getMessage().contains("more than one value per channel"), e.getMessage());
        }
    }
}

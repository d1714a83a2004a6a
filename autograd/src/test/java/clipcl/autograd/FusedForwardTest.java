package clipcl.autograd;

import static org.junit.jupiter.api.Assertions.*;

import clipcl.tensor.DType;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fused primitives' forwards against the same formulas composed from tensor-core ops in F64
 * (the gradient checks then tie each backward to its forward).
 */
class FusedForwardTest {
    private Scope scope;

    @BeforeEach
    void open() { scope = Scope.open(); }

    @AfterEach
    void close() { scope.close(); }

    private static void near(Tensor want, Tensor got, double tol) {
        assertEquals(want.shape(), got.shape());
        double[] w = want.toDoubleArray(), g = got.toDoubleArray();
        for (int i = 0; i < w.length; i++) assertEquals(w[i], g[i], tol * (1 + Math.abs(w[i])), "element " + i);
    }

    @Test
    void attentionIsSoftmaxOfScaledScoresPlusMaskTimesV() {
        Tensor q = Inputs.normal(1, 2, 3, 5, 4), k = Inputs.normal(2, 2, 3, 6, 4), v = Inputs.normal(3, 2, 3, 6, 4);
        Tensor mask = Inputs.normal(4, 5, 6);
        Tensor want = q.matmul(k.mT()).mul(0.5).add(mask).softmax(-1).matmul(v);   // 1/sqrt(4) = 0.5
        near(want, F.scaledDotProductAttention(Var.constant(q), Var.constant(k), Var.constant(v), mask).data(), 1e-12);
        Tensor noMask = q.matmul(k.mT()).mul(0.5).softmax(-1).matmul(v);
        near(noMask, F.scaledDotProductAttention(Var.param(q), Var.constant(k), Var.constant(v), null).data(), 1e-12);
    }

    @Test
    void causalMaskHidesTheFuture() {
        Tensor m = F.causalMask(3, DType.F32);
        assertArrayEquals(new float[] {0, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 0, 0, Float.NEGATIVE_INFINITY, 0, 0, 0}, m.toFloatArray());
        Tensor q = Inputs.normal(5, 1, 1, 3, 2), v = Inputs.normal(6, 1, 1, 3, 2);
        Tensor out = F.scaledDotProductAttention(Var.constant(q), Var.constant(q), Var.constant(v), m).data();
        assertArrayEquals(v.select(2, 0).toDoubleArray(), out.select(2, 0).toDoubleArray(), 1e-12); // row 0 sees only key 0
    }

    @Test
    void crossEntropyIsMeanNegativeLogSoftmaxOfTheTarget() {
        Tensor x = Inputs.normal(7, 4, 5);
        int[] t = {1, 0, 4, 1};
        Tensor ls = x.logSoftmax(-1);
        double want = 0;
        for (int i = 0; i < 4; i++) want -= ls.get(i, t[i]);
        assertEquals(want / 4, F.crossEntropy(Var.constant(x), t).item(), 1e-12);
        assertEquals(Math.log(7), F.crossEntropy(Var.constant(Tensor.zeros(DType.F32, 2, 7)), new int[] {3, 6}).item(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> F.crossEntropy(Var.constant(x), new int[] {1, 0, 5, 1}));
    }

    @Test
    void softmaxKlMatchesTorchKlDivBatchmean() {
        // torch: kl_div(log_softmax(new/T), softmax(old/T), reduction="batchmean") = sum p (log p - log q) / size(0)
        Tensor old = Inputs.normal(8, 2, 3, 5), nw = Inputs.normal(9, 2, 3, 5);
        double t = 1.7;
        Tensor lp = old.div(t).logSoftmax(-1), lq = nw.div(t).logSoftmax(-1);
        double sum = lp.exp().mul(lp.sub(lq)).sum().item();
        assertEquals(sum / 2, F.softmaxKl(Var.constant(old), Var.param(nw), t).item(), 1e-12);
        assertEquals(sum, F.softmaxKlSum(Var.constant(old), Var.param(nw), t).item(), 1e-12);
        assertEquals(0.0, F.softmaxKl(Var.constant(old), Var.param(old), t).item(), 1e-15);
    }

    @Test
    void linearIsMatmulWithTransposedWeightPlusBias() {
        Tensor x = Inputs.normal(10, 2, 3, 4), w = Inputs.normal(11, 5, 4), b = Inputs.normal(12, 5);
        near(x.matmul(w.mT()).add(b), F.linear(Var.constant(x), Var.param(w), Var.param(b)).data(), 1e-12);
        near(x.matmul(w.mT()), F.linear(Var.constant(x), Var.param(w), null).data(), 1e-12);
        // The F32 fast path (SGEMM onto bias rows) against the F64 result.
        Tensor y32 = F.linear(Var.constant(x.to(DType.F32)), Var.constant(w.to(DType.F32)), Var.constant(b.to(DType.F32))).data();
        near(x.matmul(w.mT()).add(b), y32, 1e-5);
    }

    @Test
    void embeddingAndPatchConvMatchTheTensorCore() {
        Tensor table = Inputs.normal(13, 6, 3), ids = Inputs.index(14, 6, 2, 4);
        near(clipcl.tensor.Indexing.embedding(table, ids), F.embedding(Var.param(table), ids).data(), 0);
        Tensor x = Inputs.normal(15, 2, 3, 8, 8), w = Inputs.normal(16, 4, 3, 4, 4), b = Inputs.normal(17, 4);
        near(clipcl.tensor.Conv.patchConv2d(x, w, b), F.patchConv2d(Var.constant(x), Var.param(w), Var.param(b)).data(), 1e-12);
    }

    @Test
    void badInputsNameTheOpAndShapes() {
        Var q = Var.param(Inputs.normal(18, 1, 2, 3, 4));
        Var k = Var.param(Inputs.normal(19, 1, 2, 3, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, k, k, null));
        assertTrue(e.getMessage().contains("scaled_dot_product_attention") && e.getMessage().contains("[1, 2, 3, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, q, q, Inputs.normal(20, 4, 4)));
        assertTrue(e.getMessage().contains("mask"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.softmaxKl(q, k, 1.0));
        assertTrue(e.getMessage().contains("softmax_kl"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.linear(q, k, null));
        assertTrue(e.getMessage().contains("linear"), e.getMessage());
    }
}

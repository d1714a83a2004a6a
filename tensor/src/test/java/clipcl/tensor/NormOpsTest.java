package clipcl.tensor;

import static clipcl.tensor.OpCheck.s;

import org.junit.jupiter.api.Test;

/** Vector backend (F32) against the reference (F64) for softmax, log_softmax, layer_norm, normalize. */
class NormOpsTest {
    static final int[][] SHAPES = {s(1), s(50), s(4, 1), s(7, 50), s(3, 5, 17), s(2, 3, 4, 65), s(0, 8)};

    @Test
    void softmaxAndLogSoftmaxAlongEachDim() {
        for (int[] sh : SHAPES) {
            for (int d = 0; d < sh.length; d++) {
                int dim = d;
                OpCheck.op("softmax " + dim, t -> t[0].softmax(dim)).shapes(sh).range(-10, 10).tol(1e-5, 1e-7).check();
                OpCheck.op("log_softmax " + dim, t -> t[0].logSoftmax(dim)).shapes(sh).range(-10, 10).tol(1e-5, 1e-6).check();
            }
        }
        OpCheck.op("softmax -1", t -> t[0].softmax(-1)).shapes(s(96, 50)).range(-30, 30).tol(1e-5, 1e-7).check();
    }

    @Test
    void softmaxOfMaskedScores() {
        // CLIP's causal mask: -inf above the diagonal; every row keeps at least one finite score
        OpCheck.op("masked softmax", t -> {
            try (Tensor mask = Tensor.ones(t[0].dtype(), 9, 9)) {
                for (int i = 0; i < 9; i++) for (int j = 0; j <= i; j++) mask.set(0, i, j);
                return t[0].maskedFill(mask, Double.NEGATIVE_INFINITY).softmax(-1);
            }
        }).shapes(s(3, 9, 9)).range(-5, 5).layouts(OpCheck.Layout.CONTIGUOUS, OpCheck.Layout.TRANSPOSED).check();
    }

    @Test
    void layerNormWithAndWithoutAffine() {
        int[][] shapes = {s(1), s(768), s(5, 1), s(4, 37), s(2, 3, 64), s(0, 16)};
        for (int[] sh : shapes) {
            int n = sh[sh.length - 1];
            OpCheck.op("layer_norm affine", t -> t[0].layerNorm(t[1], t[2], 1e-5)).shapes(sh, s(n), s(n))
                    .layouts(OpCheck.Layout.CONTIGUOUS).tol(1e-5, 1e-5).check();
            OpCheck.op("layer_norm plain", t -> t[0].layerNorm(null, null, 1e-5)).shapes(sh)
                    .layouts(OpCheck.Layout.CONTIGUOUS).tol(1e-5, 1e-5).check();
            OpCheck.op("layer_norm weight only", t -> t[0].layerNorm(t[1], null, 1e-6)).shapes(sh, s(n))
                    .layouts(OpCheck.Layout.CONTIGUOUS).tol(1e-5, 1e-5).check();
        }
        // rows whose last dimension is not contiguous (transposed, narrowed) go to the reference
        OpCheck.op("layer_norm strided", t -> t[0].layerNorm(t[1], t[2], 1e-5)).shapes(s(6, 33), s(33), s(33))
                .layouts(OpCheck.Layout.TRANSPOSED, OpCheck.Layout.EXPANDED).fallbackOk().tol(1e-5, 1e-5).check();
        // a row that is a narrowed slice of a wider buffer is still contiguous along the last dim
        OpCheck.op("layer_norm narrowed", t -> t[0].layerNorm(t[1], t[2], 1e-5)).shapes(s(6, 33), s(33), s(33))
                .layouts(OpCheck.Layout.NARROWED).tol(1e-5, 1e-5).check();
        // a large mean (residual stream): the two-pass variance must not cancel
        OpCheck.op("layer_norm offset", t -> t[0].add(500).layerNorm(t[1], t[2], 1e-5)).shapes(s(8, 768), s(768), s(768))
                .layouts(OpCheck.Layout.CONTIGUOUS).tol(1e-4, 1e-4).check();
    }

    @Test
    void l2Normalize() {
        for (int[] sh : new int[][] {s(5), s(4, 512), s(3, 7, 2)}) {
            for (int d = 0; d < sh.length; d++) {
                int dim = d;
                OpCheck.op("normalize " + dim, t -> t[0].l2Normalize(dim, 1e-12)).shapes(sh).tol(1e-5, 1e-7).check();
            }
        }
        // all-zero rows divide by eps, not by 0
        OpCheck.op("normalize zeros", t -> t[0].mul(0).l2Normalize(-1, 1e-6)).shapes(s(3, 8)).check();
    }
}

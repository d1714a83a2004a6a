package clipcl.tensor;

import static clipcl.tensor.OpCheck.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** matmul (torch semantics, batched, transposed views) and the patch conv2d, vector vs reference. */
class LinalgConvTest {
    static final double RTOL = 1e-5, ATOL = 1e-5;

    @Test
    void matmulShapes() {
        int[][][] pairs = {
            {s(7), s(7)},                 // dot
            {s(5), s(5, 3)},              // vector @ matrix
            {s(4, 5), s(5)},              // matrix @ vector
            {s(1, 1), s(1, 1)},
            {s(17, 33), s(33, 9)},
            {s(3, 6, 8), s(8, 5)},        // batch folded into M
            {s(2, 3, 6, 8), s(3, 8, 5)},  // broadcast batch
            {s(4, 1, 6, 8), s(1, 2, 8, 5)},
            {s(6, 8), s(3, 8, 5)},        // left operand shared across batch (stride-0 batch)
            {s(0, 4), s(4, 3)}, {s(3, 0), s(0, 5)}, {s(2, 0, 4), s(4, 3)},
            {s(40, 64), s(64, 70)},
        };
        for (int[][] p : pairs) {
            OpCheck.op("matmul", t -> t[0].matmul(t[1])).shapes(p).range(-1, 1).tol(RTOL, ATOL)
                    .layouts(OpCheck.Layout.CONTIGUOUS, OpCheck.Layout.TRANSPOSED, OpCheck.Layout.NARROWED).check();
        }
    }

    @Test
    void attentionShapedProducts() {
        // q @ k^T with k a transposed view (no copy), then p @ v: [heads, 50, 64]
        OpCheck.op("q k^T", t -> t[0].matmul(t[1].mT())).shapes(s(12, 50, 64), s(12, 50, 64)).range(-1, 1).tol(RTOL, ATOL)
                .layouts(OpCheck.Layout.CONTIGUOUS).check();
        OpCheck.op("head split", t -> {
            Tensor q = t[0].reshape(2, 10, 4, 16).permute(0, 2, 1, 3);  // [B,H,S,Dh] from [B,S,H*Dh]
            Tensor k = t[1].reshape(2, 10, 4, 16).permute(0, 2, 3, 1);  // [B,H,Dh,S]
            return q.matmul(k).softmax(-1).matmul(q);
        }).shapes(s(2, 10, 64), s(2, 10, 64)).range(-1, 1).tol(RTOL, ATOL).layouts(OpCheck.Layout.CONTIGUOUS).check();
        OpCheck.op("expanded batch", t -> t[0].matmul(t[1].unsqueeze(0).expand(5, 8, 6)))
                .shapes(s(5, 3, 8), s(8, 6)).range(-1, 1).tol(RTOL, ATOL).check();
    }

    @Test
    void matmulByHand() {
        // [2,3] @ [3,2] and its transpose, exact in float
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new float[] {7, 8, 9, 10, 11, 12}, 3, 2);
        assertArrayEquals(new float[] {58, 64, 139, 154}, a.matmul(b).toFloatArray());
        assertArrayEquals(new float[] {58, 139, 64, 154}, b.mT().matmul(a.mT()).toFloatArray());
        Tensor v = Tensor.of(new float[] {1, -1, 2}, 3);
        assertArrayEquals(new float[] {5, 11}, a.matmul(v).toFloatArray());
        assertArrayEquals(new float[] {0}, Tensor.of(new float[0], 2, 0).matmul(Tensor.of(new float[0], 0, 1)).sum().toFloatArray());
    }

    @Test
    void patchConv2d() {
        // [B,C,H,W] x [O,C,P,P], with trailing pixels that do not fill a patch (torch drops them)
        int[][][] cases = {{s(2, 3, 8, 8), s(5, 3, 4, 4), s(5)}, {s(1, 3, 10, 9), s(4, 3, 3, 3), s(4)}, {s(1, 1, 2, 2), s(1, 1, 2, 2), s(1)}};
        for (int[][] c : cases) {
            OpCheck.op("conv2d patch", t -> Conv.patchConv2d(t[0], t[1], t[2])).shapes(c).range(-1, 1).tol(RTOL, ATOL).check();
            OpCheck.op("conv2d patch no bias", t -> Conv.patchConv2d(t[0], t[1], null)).shapes(c[0], c[1]).range(-1, 1)
                    .tol(RTOL, ATOL).layouts(OpCheck.Layout.CONTIGUOUS).check();
        }
    }

    @Test
    void patchConvByHand() {
        // one channel 2x2 image, one 2x2 kernel: a single dot product plus bias
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor w = Tensor.of(new float[] {1, 0, 0, -1}, 1, 1, 2, 2);
        Tensor y = Conv.patchConv2d(x, w, Tensor.of(new float[] {10}, 1));
        assertArrayEquals(new int[] {1, 1, 1, 1}, y.dims());
        assertArrayEquals(new float[] {7}, y.toFloatArray());
    }
}

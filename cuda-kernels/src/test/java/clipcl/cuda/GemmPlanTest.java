package clipcl.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import clipcl.tensor.HeapStorage;
import clipcl.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Checks the row-major to column-major mapping of {@link GemmPlan} without a GPU: a scalar model
 * of cublasGemmStridedBatchedEx (column-major, op N/T, leading dimensions, batch strides, exactly
 * as cuBLAS documents them) runs each plan on the tensors' raw storage, and the result must equal
 * the row-major product of the views, for plain, transposed, narrowed and batched operands.
 */
class GemmPlanTest {
    /** C[i + j*ldc] = sum_p op(X)[i,p] op(Y)[p,j] for each batch, column-major, as cuBLAS. */
    static void cublasModel(GemmPlan g, float[] x, int xOff, float[] y, int yOff, float[] c) {
        for (int b = 0; b < g.batch(); b++) {
            for (int i = 0; i < g.m(); i++) {
                for (int j = 0; j < g.n(); j++) {
                    double s = 0;
                    for (int p = 0; p < g.k(); p++) {
                        long xi = xOff + b * g.strideX() + (g.transX() ? p + (long) i * g.ldX() : i + (long) p * g.ldX());
                        long yi = yOff + b * g.strideY() + (g.transY() ? j + (long) p * g.ldY() : p + (long) j * g.ldY());
                        s += x[(int) xi] * y[(int) yi];
                    }
                    c[(int) (b * g.strideC() + i + (long) j * g.ldC())] = (float) s;
                }
            }
        }
    }

    static Tensor random(Random r, int... dims) {
        float[] v = new float[Math.max(1, java.util.Arrays.stream(dims).reduce(1, (a, b) -> a * b))];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return Tensor.of(v, dims);
    }

    static void check(Tensor a, Tensor b) {
        GemmPlan g = GemmPlan.of(a.dims(), a.strides(), b.dims(), b.strides());
        assertNotNull(g, "plan for strides " + java.util.Arrays.toString(a.strides()) + " x " + java.util.Arrays.toString(b.strides()));
        int batch = a.dim(0), m = a.dim(1), n = b.dim(2);
        float[] c = new float[batch * m * n];
        cublasModel(g, ((HeapStorage) b.storage()).f32(), b.offset(), ((HeapStorage) a.storage()).f32(), a.offset(), c);
        float[] want = a.matmul(b).toFloatArray();
        for (int i = 0; i < c.length; i++) assertEquals(want[i], c[i], 1e-4 * (1 + Math.abs(want[i])), "element " + i);
    }

    @Test
    void plainTransposedAndBatchedViews() {
        Random r = new Random(3);
        int[][] shapes = {{1, 3, 4, 5}, {2, 5, 7, 3}, {3, 1, 6, 1}, {1, 4, 1, 4}, {2, 1, 1, 1}};
        for (int[] s : shapes) {
            int batch = s[0], m = s[1], k = s[2], n = s[3];
            check(random(r, batch, m, k), random(r, batch, k, n));
            check(random(r, batch, k, m).mT(), random(r, batch, k, n));                 // a transposed
            check(random(r, batch, m, k), random(r, batch, n, k).mT());                 // b transposed (x @ W^T)
            check(random(r, batch, k, m).mT(), random(r, batch, n, k).mT());            // both
            check(random(r, batch, m, k + 2).narrow(2, 1, k), random(r, batch, k, n + 3).narrow(2, 2, n));  // row gaps
        }
    }

    @Test
    void attentionStyleHeadViews() {
        // q [B,S,H,D] permuted to [B,H,S,D] and flattened to batch B*H is not one stride: callers copy.
        // A single head's [S,D] slice with row stride H*D is fine, and so is k^T from the same layout.
        Random r = new Random(5);
        Tensor qkv = random(r, 7, 3 * 4 * 8);                                  // [S, 3*H*D], H=4, D=8
        Tensor q = qkv.narrow(1, 0, 8).unsqueeze(0);                           // head 0 of q: [1,7,8], row stride 96
        Tensor kT = qkv.narrow(1, 32, 8).unsqueeze(0).mT();                    // head 0 of k, transposed: [1,8,7]
        check(q, kT);
    }

    @Test
    void broadcastOperandsAreRejected() {
        // A [K,N] weight expanded over a batch has batch stride 0: the caller must copy (or fold the batch).
        assertNull(GemmPlan.of(new int[] {3, 2, 4}, new int[] {8, 4, 1}, new int[] {3, 4, 5}, new int[] {0, 5, 1}));
        // Stride 0 inside a matrix.
        assertNull(GemmPlan.of(new int[] {1, 2, 4}, new int[] {8, 0, 1}, new int[] {1, 4, 5}, new int[] {20, 5, 1}));
        assertNull(GemmPlan.of(new int[] {1, 2, 4}, new int[] {8, 4, 2}, new int[] {1, 4, 5}, new int[] {20, 5, 1}));
    }

    @Test
    void planFieldsForContiguousOperands() {
        GemmPlan g = GemmPlan.of(new int[] {2, 3, 4}, new int[] {12, 4, 1}, new int[] {2, 4, 5}, new int[] {20, 5, 1});
        // C^T [5,3] = B^T [5,4] A^T [4,3]: m' = N, n' = M, no transposes, ld = row strides.
        assertEquals(new GemmPlan(false, false, 5, 3, 4, 5, 4, 5, 20, 12, 15, 2), g);
    }
}

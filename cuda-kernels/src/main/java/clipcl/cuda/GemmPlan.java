package clipcl.cuda;

/**
 * How one batched row-major product out[b] = a[b] @ bm[b] ([B,M,K] x [B,K,N] -> [B,M,N]) maps onto
 * a column-major cuBLAS strided-batched GEMM, with no copies when each operand's matrices have one
 * unit stride (a plain or a transposed view).
 *
 * <p>The mapping. cuBLAS computes C = op(X) op(Y) on column-major matrices. A row-major matrix
 * with row stride ld is, read column-major with leading dimension ld, its own transpose. So the
 * row-major output C[M,N] (ld N) read column-major is C^T [N,M], and C = A B is the same as
 * C^T = B^T A^T: pass bm's memory as X and a's memory as Y with m' = N, n' = M, k' = K.
 * <ul>
 * <li>bm row-major [K,N] (column stride 1, row stride ld): its memory read column-major is
 *     B^T [N,K] with leading dimension ld, already what X must be: op N.
 * <li>bm column-major (a transposed view: row stride 1, column stride ld): its memory read
 *     column-major is B [K,N] itself: op T, leading dimension ld.
 * <li>a likewise for Y = A^T [K,M]: op N when a is row-major, op T when it is a transposed view.
 * </ul>
 * Batch strides are the operands' stride of dimension 0 (0 when B == 1). Operands that are
 * neither (broadcast inside the matrix, stride 0 along a batch of B > 1, or gaps smaller than a
 * row) are reported by {@link #of} as null, and the caller makes them contiguous first.
 */
record GemmPlan(boolean transX, boolean transY, int m, int n, int k, int ldX, int ldY, int ldC,
                long strideX, long strideY, long strideC, int batch) {

    /** {rowMajor ? 1 : 0, ld} for a [rows, cols] matrix with strides (sr, sc), or null if neither layout fits. */
    static int[] matrixLayout(int rows, int cols, int sr, int sc) {
        if ((cols == 1 || sc == 1) && (rows == 1 || sr >= Math.max(1, cols))) return new int[] {1, rows == 1 ? Math.max(1, cols) : sr};
        if ((rows == 1 || sr == 1) && (cols == 1 || sc >= Math.max(1, rows))) return new int[] {0, cols == 1 ? Math.max(1, rows) : sc};
        return null;
    }

    /** The plan for rank-3 a [B,M,K], bm [B,K,N] and a contiguous out [B,M,N], or null if an operand needs a copy. */
    static GemmPlan of(int[] aDims, int[] aStrides, int[] bDims, int[] bStrides) {
        int batch = aDims[0], m = aDims[1], k = aDims[2], n = bDims[2];
        int[] la = matrixLayout(m, k, aStrides[1], aStrides[2]);
        int[] lb = matrixLayout(k, n, bStrides[1], bStrides[2]);
        if (la == null || lb == null) return null;
        long sa = batch == 1 ? 0 : aStrides[0], sb = batch == 1 ? 0 : bStrides[0];
        if (batch > 1 && (sa <= 0 || sb <= 0)) return null;
        // X = bm's memory (B^T wanted), Y = a's memory (A^T wanted); row-major needs no transpose.
        return new GemmPlan(lb[0] == 0, la[0] == 0, n, m, k, lb[1], la[1], Math.max(1, n), sb, sa, (long) m * n, batch);
    }
}

package clipcl.cuda;

import java.util.Arrays;

/**
 * Packs tensor geometry into the kernels' by-value structs (common.cuh: {@code Layout} is
 * {rank, dims[8]}, {@code Strides} is {offset, s[8]}), after coalescing: size-1 dimensions are
 * dropped and neighbouring dimensions merge wherever every operand steps through them as one
 * (stride[i] == stride[i+1] * dims[i+1]). Merging keeps the row-major element order, so a kernel
 * writing a contiguous output at flat index i is unaffected; it only saves index arithmetic
 * (a contiguous tensor becomes rank 1) and lifts the rank limit for most views.
 */
final class Layouts {
    static final int MAX_RANK = 8;

    private Layouts() { }

    /** Coalesced dims and, per operand, strides; offsets pass through unchanged. */
    record Coalesced(int[] dims, int[][] strides) {
        int rank() { return dims.length; }

        /** The Layout struct. */
        int[] layout() {
            int[] l = new int[1 + MAX_RANK];
            l[0] = dims.length;
            System.arraycopy(dims, 0, l, 1, dims.length);
            return l;
        }

        /** The Strides struct of operand k with its storage offset. */
        int[] strides(int k, int offset) {
            int[] s = new int[1 + MAX_RANK];
            s[0] = offset;
            System.arraycopy(strides[k], 0, s, 1, dims.length);
            return s;
        }
    }

    /**
     * Coalesces the common shape {@code dims} of operands with the given strides (one array per
     * operand, each of dims' length). op names the operation in the error for ranks that stay
     * above {@link #MAX_RANK}.
     */
    static Coalesced coalesce(String op, int[] dims, int[]... strides) {
        int r = dims.length, k = strides.length;
        int[] nd = new int[Math.max(r, 1)];
        int[][] ns = new int[k][Math.max(r, 1)];
        int out = 0;
        for (int d = 0; d < r; d++) {
            if (dims[d] == 1) continue;
            boolean merge = out > 0;
            for (int j = 0; j < k && merge; j++) merge = ns[j][out - 1] == strides[j][d] * dims[d];
            if (merge) {
                nd[out - 1] *= dims[d];
                for (int j = 0; j < k; j++) ns[j][out - 1] = strides[j][d];
            } else {
                nd[out] = dims[d];
                for (int j = 0; j < k; j++) ns[j][out] = strides[j][d];
                out++;
            }
        }
        if (out == 0) {  // a single element (or a scalar): rank 1 of size 1
            nd[0] = 1;
            out = 1;
        }
        if (out > MAX_RANK) {
            throw new IllegalArgumentException(op + " on cuda: shape " + Arrays.toString(dims) + " has " + out
                    + " dimensions that cannot be merged; the kernels take at most " + MAX_RANK + " (make the tensor contiguous first)");
        }
        int[] fd = Arrays.copyOf(nd, out);
        int[][] fs = new int[k][];
        for (int j = 0; j < k; j++) fs[j] = Arrays.copyOf(ns[j], out);
        return new Coalesced(fd, fs);
    }
}

package clipcl.tensor.cpu;

import clipcl.tensor.Parallel;
import clipcl.tensor.Tensor;

/**
 * The iteration space of several operands of one shape, reduced to the fewest dimensions: size-1
 * dimensions are dropped and neighbours merged wherever every operand's strides allow it (as
 * PyTorch's TensorIterator does), so a contiguous tensor becomes one run and [N,D] + [D] becomes N
 * runs of D with stride 0 between the runs of the second operand. Kernels then see runs of the
 * innermost dimension: a start offset per operand and a length.
 */
final class Iter {
    /** Elements per parallel chunk below which a job is not split. */
    static final int GRAIN = 1 << 15;

    final int[] dims;      // outer ... inner; at least one dimension
    final int[][] strides; // [operand][dim]
    final int[] offsets;   // start offset per operand
    final int inner;       // length of the innermost run
    final int rows;        // number of runs
    final int numel;

    /** Kernel body over one run: per-operand start offsets and a length. */
    @FunctionalInterface
    interface RunBody {
        void run(int[] off, int len);
    }

    Iter(Tensor... ts) { this(ts[0].dims(), stridesOf(ts), offsetsOf(ts)); }

    Iter(int[] shape, int[][] st, int[] offsets) {
        int k = st.length, r = shape.length;
        int[] d = new int[Math.max(1, r)];
        int[][] s = new int[k][d.length];
        int nd = 0;
        long n = 1;
        for (int i = 0; i < r; i++) n *= shape[i];
        // Walk from the innermost dimension outwards, merging into the current one where possible.
        for (int i = r - 1; i >= 0; i--) {
            int size = shape[i];
            if (size == 1) continue;
            if (nd > 0) {
                boolean merge = true;
                for (int o = 0; o < k; o++) {
                    if (st[o][i] != s[o][nd - 1] * d[nd - 1]) { merge = false; break; }
                }
                if (merge) { d[nd - 1] *= size; continue; }
            }
            d[nd] = size;
            for (int o = 0; o < k; o++) s[o][nd] = st[o][i];
            nd++;
        }
        if (nd == 0) { d[0] = 1; nd = 1; }
        // stored innermost-first above; flip to outer..inner
        this.dims = new int[nd];
        this.strides = new int[k][nd];
        for (int i = 0; i < nd; i++) {
            dims[i] = d[nd - 1 - i];
            for (int o = 0; o < k; o++) strides[o][i] = s[o][nd - 1 - i];
        }
        this.offsets = offsets.clone();
        this.numel = (int) n;
        this.inner = n == 0 ? 0 : dims[nd - 1];
        this.rows = n == 0 ? 0 : (int) (n / inner);
    }

    private static int[][] stridesOf(Tensor[] ts) {
        int[][] s = new int[ts.length][];
        for (int i = 0; i < ts.length; i++) s[i] = ts[i].strides();
        return s;
    }

    private static int[] offsetsOf(Tensor[] ts) {
        int[] o = new int[ts.length];
        for (int i = 0; i < ts.length; i++) o[i] = ts[i].offset();
        return o;
    }

    /** Stride of operand o along the innermost run. */
    int innerStride(int o) { return strides[o][dims.length - 1]; }

    /**
     * Runs body over every run, in parallel chunks. A single long run is cut into pieces; otherwise
     * whole runs are handed out. grain is the number of elements worth one parallel chunk.
     */
    void forEach(int grain, RunBody body) {
        if (numel == 0) return;
        int k = offsets.length;
        if (rows == 1) {
            Parallel.forChunks(inner, grain, (from, to) -> {
                int[] off = new int[k];
                for (int o = 0; o < k; o++) off[o] = offsets[o] + from * innerStride(o);
                body.run(off, to - from);
            });
            return;
        }
        int rowGrain = Math.max(1, grain / Math.max(1, inner));
        Parallel.forChunks(rows, rowGrain, (from, to) -> {
            int outer = dims.length - 1;
            int[] idx = new int[outer];
            int[] off = new int[k];
            int[] cur = new int[k];
            // position of row `from` in the outer dims
            int rem = from;
            for (int d = outer - 1; d >= 0; d--) { idx[d] = rem % dims[d]; rem /= dims[d]; }
            for (int o = 0; o < k; o++) {
                int p = offsets[o];
                for (int d = 0; d < outer; d++) p += idx[d] * strides[o][d];
                cur[o] = p;
            }
            for (int row = from; row < to; row++) {
                System.arraycopy(cur, 0, off, 0, k);
                body.run(off, inner);
                for (int d = outer - 1; d >= 0; d--) {
                    if (++idx[d] < dims[d]) {
                        for (int o = 0; o < k; o++) cur[o] += strides[o][d];
                        break;
                    }
                    for (int o = 0; o < k; o++) cur[o] -= (dims[d] - 1) * strides[o][d];
                    idx[d] = 0;
                }
            }
        });
    }
}

package clipcl.autograd.ops;

import clipcl.tensor.Shape;

/** Shape bookkeeping of reductions. */
final class Reduce {
    private Reduce() { }

    /** The input's dims with every reduced dimension set to 1 (the keepdim shape). */
    static int[] keptShape(Shape in, int[] dims) {
        int[] k = in.toArray();
        for (int d : dims) {
            int nd = d < 0 ? d + k.length : d;
            if (nd < 0 || nd >= k.length) throw new IllegalArgumentException("reduction: dimension " + d + " out of range for shape " + in);
            k[nd] = 1;
        }
        return k;
    }
}

package clipcl.tensor;

import java.util.Arrays;

/** Front end of the reductions: dims (negative allowed), keepdim, mean and variance on top of sum. */
public final class Reductions {
    private Reductions() { }

    public static Tensor reduce(ReduceOp op, Tensor x, int dim, boolean keepdim) {
        String name = op.name().toLowerCase();
        Ops.open(name, x);
        if (x.rank() == 0) x = x.reshape(1);
        int d;
        try {
            d = x.shape().normDim(dim);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": dimension " + dim + " out of range for " + Ops.desc(x));
        }
        if (x.dim(d) == 0 && op != ReduceOp.SUM) throw new IllegalArgumentException(name + ": cannot reduce the empty dimension " + dim + " of " + Ops.desc(x));
        boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
        DType dt = arg ? DType.I32 : x.dtype().computeType();
        Tensor out = Tensor.empty(dt, x.device(), x.shape().withDim(d, 1));
        x.backend().reduce(op, x, d, out);
        if (keepdim) return out;
        return Ops.replaceByView(out, out.squeeze(d));
    }

    public static Tensor sum(Tensor x, int[] dims, boolean keepdim) {
        Ops.open("sum", x);
        int[] ds = normalize("sum", x, dims);
        Tensor cur = x;
        for (int d : ds) {
            Tensor next = reduce(ReduceOp.SUM, cur, d, true);
            if (cur != x) cur.close();
            cur = next;
        }
        if (ds.length == 0) cur = x.copy().to(x.dtype().computeType());
        if (keepdim) return cur;
        return cur == x ? dropDims(cur, ds) : Ops.replaceByView(cur, dropDims(cur, ds));
    }

    public static Tensor mean(Tensor x, int[] dims, boolean keepdim) {
        Ops.floating("mean", x);
        int[] ds = normalize("mean", x, dims);
        long n = 1;
        for (int d : ds) n *= x.dim(d);
        try (Tensor s = sum(x, ds, keepdim)) {
            return s.div((double) n);
        }
    }

    public static Tensor var(Tensor x, int[] dims, boolean keepdim, boolean unbiased) {
        Ops.floating("var", x);
        int[] ds = normalize("var", x, dims);
        long n = 1;
        for (int d : ds) n *= x.dim(d);
        try (Tensor m = mean(x, ds, true); Tensor c = x.sub(m); Tensor c2 = c.square(); Tensor s = sum(c2, ds, keepdim)) {
            return s.div((double) (unbiased ? n - 1 : n));
        }
    }

    /** Sorted, distinct, non-negative dims; an error names the op and shape otherwise. */
    static int[] normalize(String op, Tensor x, int[] dims) {
        int[] ds = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = dims[i] < 0 ? dims[i] + x.rank() : dims[i];
            if (d < 0 || d >= x.rank()) throw new IllegalArgumentException(op + ": dimension " + dims[i] + " out of range for " + Ops.desc(x));
            ds[i] = d;
        }
        Arrays.sort(ds);
        for (int i = 1; i < ds.length; i++) if (ds[i] == ds[i - 1]) throw new IllegalArgumentException(op + ": dimension " + ds[i] + " repeated in " + Arrays.toString(dims));
        return ds;
    }

    private static Tensor dropDims(Tensor t, int[] sortedDims) {
        int[] od = t.dims();
        int[] nd = new int[od.length - sortedDims.length];
        for (int i = 0, j = 0, k = 0; i < od.length; i++) {
            if (k < sortedDims.length && sortedDims[k] == i) { k++; continue; }
            nd[j++] = od[i];
        }
        return t.reshape(nd);
    }
}

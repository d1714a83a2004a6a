package clipcl.tensor;

/** Front end of index_select, embedding lookup and gather. */
public final class Indexing {
    private Indexing() { }

    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        Ops.open("index_select", x, index);
        Ops.index("index_select", index);
        if (index.rank() > 1) throw new IllegalArgumentException("index_select: index must be 1-D, got " + Ops.desc(index));
        int d = checkDim("index_select", x, dim);
        Tensor out = Tensor.empty(x.dtype(), x.device(), x.shape().withDim(d, index.numel()));
        x.backend().indexSelect(x, d, index.reshape(-1), out);
        return out;
    }

    /** Rows of table [V,D] picked by ids of any shape -> [..., D]. */
    public static Tensor embedding(Tensor table, Tensor ids) {
        Ops.open("embedding", table, ids);
        Ops.index("embedding", ids);
        if (table.rank() != 2) throw new IllegalArgumentException("embedding: table must be 2-D [vocab, dim], got " + Ops.desc(table));
        int[] idd = ids.dims();
        int[] od = java.util.Arrays.copyOf(idd, idd.length + 1);
        od[idd.length] = table.dim(1);
        Tensor flat = indexSelect(table, 0, ids.reshape(-1));
        return Ops.replaceByView(flat, flat.reshape(od));
    }

    public static Tensor gather(Tensor x, int dim, Tensor index) {
        Ops.open("gather", x, index);
        Ops.index("gather", index);
        int d = checkDim("gather", x, dim);
        if (index.rank() != x.rank()) throw new IllegalArgumentException("gather: index " + Ops.desc(index) + " must have the rank of input " + Ops.desc(x));
        for (int i = 0; i < x.rank(); i++) {
            if (i != d && index.dim(i) > x.dim(i)) throw new IllegalArgumentException("gather: index " + Ops.desc(index) + " larger than input " + Ops.desc(x) + " in dimension " + i);
        }
        Tensor out = Tensor.empty(x.dtype(), x.device(), index.shape());
        x.backend().gather(x, d, index, out);
        return out;
    }

    private static int checkDim(String op, Tensor x, int dim) {
        try {
            return x.shape().normDim(dim);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": dimension " + dim + " out of range for " + Ops.desc(x));
        }
    }
}

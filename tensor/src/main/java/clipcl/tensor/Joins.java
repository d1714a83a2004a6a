package clipcl.tensor;

import java.util.ArrayList;
import java.util.List;

/** concat / stack / split: copies into narrowed views of one output, or views of one input. */
public final class Joins {
    private Joins() { }

    public static Tensor concat(List<Tensor> parts, int dim) {
        if (parts.isEmpty()) throw new IllegalArgumentException("concat: no tensors given");
        Tensor first = parts.get(0);
        for (Tensor p : parts) Ops.open("concat", p);
        int d;
        try {
            d = first.shape().normDim(dim);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("concat: dimension " + dim + " out of range for " + Ops.desc(first));
        }
        int total = 0;
        DType dt = first.dtype();
        for (Tensor p : parts) {
            Ops.sameDevice("concat", first, p);
            if (p.rank() != first.rank()) throw new IllegalArgumentException("concat: ranks differ: " + Ops.desc(first) + " and " + Ops.desc(p));
            for (int i = 0; i < p.rank(); i++) {
                if (i != d && p.dim(i) != first.dim(i)) {
                    throw new IllegalArgumentException("concat along " + dim + ": shapes " + first.shape() + " and " + p.shape() + " differ in dimension " + i);
                }
            }
            if (p.dtype() != dt) dt = DType.promote(dt.computeType(), p.dtype().computeType());
            total += p.dim(d);
        }
        Tensor out = Tensor.empty(dt, first.device(), first.shape().withDim(d, total));
        int at = 0;
        for (Tensor p : parts) {
            try (Tensor dst = out.narrow(d, at, p.dim(d))) {
                out.backend().copy(p, dst);
            }
            at += p.dim(d);
        }
        return out;
    }

    public static Tensor stack(List<Tensor> parts, int dim) {
        if (parts.isEmpty()) throw new IllegalArgumentException("stack: no tensors given");
        int r = parts.get(0).rank() + 1;
        int d = dim < 0 ? dim + r : dim;
        if (d < 0 || d >= r) throw new IllegalArgumentException("stack: dimension " + dim + " out of range for rank " + (r - 1) + " inputs");
        List<Tensor> un = new ArrayList<>();
        for (Tensor p : parts) {
            if (!p.shape().equals(parts.get(0).shape())) throw new IllegalArgumentException("stack: shapes differ: " + parts.get(0).shape() + " and " + p.shape());
            un.add(p.unsqueeze(d));
        }
        return concat(un, d);
    }

    /** Views of consecutive chunks of the given size along dim (the last may be smaller). */
    public static List<Tensor> split(Tensor x, int size, int dim) {
        if (size <= 0) throw new IllegalArgumentException("split: chunk size must be positive, got " + size);
        int n = x.dim(dim);
        List<Tensor> out = new ArrayList<>();
        for (int at = 0; at < n; at += size) out.add(x.narrow(dim, at, Math.min(size, n - at)));
        return out;
    }

    /** Views of chunks with the given sizes along dim, which must add up to its length. */
    public static List<Tensor> split(Tensor x, int[] sizes, int dim) {
        int sum = 0;
        for (int s : sizes) sum += s;
        if (sum != x.dim(dim)) throw new IllegalArgumentException("split: sizes " + java.util.Arrays.toString(sizes) + " do not add up to " + x.dim(dim) + " in dimension " + dim + " of " + Ops.desc(x));
        List<Tensor> out = new ArrayList<>();
        int at = 0;
        for (int s : sizes) { out.add(x.narrow(dim, at, s)); at += s; }
        return out;
    }
}

package clipcl.tensor;

import java.util.Arrays;

/** Front end of matmul: torch.matmul semantics mapped onto the backend's rank-3 batched product. */
public final class Linalg {
    private Linalg() { }

    public static Tensor matmul(Tensor a, Tensor b) {
        Ops.open("matmul", a, b);
        String what = "matmul of " + Ops.desc(a) + " and " + Ops.desc(b);
        Ops.sameDevice("matmul", a, b);
        if (a.rank() == 0 || b.rank() == 0) throw new IllegalArgumentException(what + ": both operands need at least one dimension");
        if (!a.dtype().isFloating() || !b.dtype().isFloating()) throw new IllegalArgumentException(what + ": needs floating-point operands");
        boolean vecA = a.rank() == 1, vecB = b.rank() == 1;
        Tensor a2 = vecA ? a.unsqueeze(0) : a;  // [k] -> [1,k]
        Tensor b2 = vecB ? b.unsqueeze(1) : b;  // [k] -> [k,1]
        int m = a2.dim(-2), k = a2.dim(-1), k2 = b2.dim(-2), n = b2.dim(-1);
        if (k != k2) throw new IllegalArgumentException(what + ": inner dimensions differ (" + k + " vs " + k2 + ")");
        int[] ba = Arrays.copyOf(a2.dims(), a2.rank() - 2), bb = Arrays.copyOf(b2.dims(), b2.rank() - 2);
        int[] batch = Shape.broadcast(what + " (batch dimensions)", Shape.of(ba), Shape.of(bb)).toArray();
        int nb = Shape.of(batch).numel();
        DType dt = Ops.resultType(a, b);
        Tensor ea, eb;
        // One right operand for every batch: fold the batch into M and run one large GEMM
        // (x[B,S,K] @ W[K,N] is [B*S,K] @ [K,N]), if a's batch and rows flatten without a copy.
        boolean fold = nb > 1 && Shape.of(bb).numel() == 1 && Views.viewStrides(a2.dims(), a2.strides(), new int[] {nb * m, k}) != null;
        if (fold) {
            ea = a2.reshape(1, nb * m, k);
            eb = b2.reshape(1, k, n);
        } else {
            // Broadcast the batch dims, then flatten them: reshape of an expanded view may copy, which
            // only happens when a batch dim is broadcast against a non-broadcast one in a strided way.
            ea = a2.expand(concat(batch, m, k)).reshape(nb, m, k);
            eb = b2.expand(concat(batch, k, n)).reshape(nb, k, n);
        }
        Tensor out = Tensor.empty(dt, a.device(), ea.dim(0), ea.dim(1), n);
        if (a.dtype() != dt) ea = ea.to(dt);
        if (b.dtype() != dt) eb = eb.to(dt);
        a.backend().matmul(ea, eb, out);
        int[] outDims = concat(batch, m, n);
        if (vecA) outDims = remove(outDims, outDims.length - 2);
        if (vecB) outDims = remove(outDims, outDims.length - 1);
        return Ops.replaceByView(out, out.reshape(outDims));
    }

    private static int[] concat(int[] batch, int x, int y) {
        int[] r = Arrays.copyOf(batch, batch.length + 2);
        r[batch.length] = x;
        r[batch.length + 1] = y;
        return r;
    }

    private static int[] remove(int[] a, int i) {
        int[] r = new int[a.length - 1];
        for (int s = 0, d = 0; s < a.length; s++) if (s != i) r[d++] = a[s];
        return r;
    }
}

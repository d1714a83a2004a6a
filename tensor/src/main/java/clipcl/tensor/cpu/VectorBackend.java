package clipcl.tensor.cpu;

import clipcl.tensor.BinaryOp;
import clipcl.tensor.ReduceOp;
import clipcl.tensor.ReferenceBackend;
import clipcl.tensor.Tensor;
import clipcl.tensor.UnaryOp;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The fast CPU backend: F32 kernels with the Vector API (FloatVector.SPECIES_PREFERRED), threaded
 * over rows or chunks by {@link clipcl.tensor.Parallel}, one kernel family per Vec* class. What a
 * kernel does not specialise (F64, mixed dtypes, odd layouts) goes to the float64 reference this
 * class extends, and is counted in {@link #fallbacks} so tests can see which path ran.
 * {@code -Dclipcl.scalar=true} keeps these kernels but runs their scalar loops only.
 */
public class VectorBackend extends ReferenceBackend {
    /** The Backend methods, for counting reference fallbacks. */
    public enum Kernel { COPY, FILL, UNARY, BINARY, WHERE, REDUCE, SOFTMAX, LAYER_NORM, MATMUL, INDEX_SELECT, GATHER }

    private static final AtomicLongArray FALLBACKS = new AtomicLongArray(Kernel.values().length);

    /** How many calls of this kernel went to the float64 reference since start. */
    public static long fallbacks(Kernel k) { return FALLBACKS.get(k.ordinal()); }

    private static boolean fell(Kernel k) {
        FALLBACKS.incrementAndGet(k.ordinal());
        return true;
    }

    @Override
    public String name() { return "vector"; }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (!VecCopy.copy(src, dst) && fell(Kernel.COPY)) super.copy(src, dst);
    }

    @Override
    public void fill(Tensor dst, double value) {
        if (!VecCopy.fill(dst, value) && fell(Kernel.FILL)) super.fill(dst, value);
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        if (!VecUnary.unary(op, x, out) && fell(Kernel.UNARY)) super.unary(op, x, out);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        if (!VecBinary.binary(op, a, b, out) && fell(Kernel.BINARY)) super.binary(op, a, b, out);
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        if (!VecBinary.where(cond, a, b, out) && fell(Kernel.WHERE)) super.where(cond, a, b, out);
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, int dim, Tensor out) {
        if (!VecReduce.reduce(op, x, dim, out) && fell(Kernel.REDUCE)) super.reduce(op, x, dim, out);
    }

    @Override
    public void softmax(Tensor x, int dim, boolean log, Tensor out) {
        if (!VecSoftmax.softmax(x, dim, log, out) && fell(Kernel.SOFTMAX)) super.softmax(x, dim, log, out);
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out) {
        if (!VecLayerNorm.layerNorm(x, weight, bias, eps, out) && fell(Kernel.LAYER_NORM)) super.layerNorm(x, weight, bias, eps, out);
    }

    @Override
    public void matmul(Tensor a, Tensor bm, Tensor out) {
        if (!VecMatmul.matmul(a, bm, out) && fell(Kernel.MATMUL)) super.matmul(a, bm, out);
    }

    @Override
    public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        if (!VecIndex.indexSelect(x, dim, index, out) && fell(Kernel.INDEX_SELECT)) super.indexSelect(x, dim, index, out);
    }

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        if (!VecIndex.gather(x, dim, index, out) && fell(Kernel.GATHER)) super.gather(x, dim, index, out);
    }

    @Override
    public boolean fusesInference() { return true; }

    @Override
    public boolean selfAttentionInference(Tensor qkv, int heads, Tensor mask, double scale, Tensor out) {
        if (!HeadAttention.applies(qkv, mask, out)) return false;
        HeadAttention.forward(qkv, heads, mask, (float) scale, out);
        return true;
    }

    @Override
    public boolean linearQuickGelu(Tensor x, Tensor w, Tensor b, Tensor out) {
        if (!CpuLinear.applies(x, w, b, out)) return false;
        CpuLinear.forwardQuickGelu(x, w, b, out);
        return true;
    }

    @Override
    public void linear(Tensor x, Tensor w, Tensor b, Tensor out) {
        if (!HostTraining.linear(x, w, b, out)) super.linear(x, w, b, out);
    }
}

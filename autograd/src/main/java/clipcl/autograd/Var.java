package clipcl.autograd;

import clipcl.autograd.ops.*;
import clipcl.tensor.DType;
import clipcl.tensor.Scope;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A tensor in the autograd graph: its value, the gradient accumulated into it by backward, and the
 * node that produced it (null for leaves). Parameters are leaves with requiresGrad set.
 *
 * <p>Operations mirror {@link Tensor}'s names and record a node when recording is on
 * ({@link Grad}) and some input requires a gradient. Values follow the tensor core's lifetime
 * rules (an op's output belongs to the innermost open {@link Scope}); what backward needs is held
 * by the graph itself, and the gradients of leaves belong to the leaves.
 */
public final class Var {
    private Tensor data;
    private Tensor grad;
    private boolean requiresGrad;
    private Function node;
    private boolean retainGrad;

    public Var(Tensor data, boolean requiresGrad) {
        if (data == null) throw new IllegalArgumentException("Var: data is null");
        if (requiresGrad && !data.dtype().isFloating()) throw new IllegalArgumentException("Var: only floating-point tensors can require a gradient, got " + data.dtype() + " " + data.shape());
        this.data = data;
        this.requiresGrad = requiresGrad;
    }

    static Var fromOp(Tensor out, Function node) {
        Var v = new Var(out, true);
        v.node = node;
        return v;
    }

    /** A leaf that needs no gradient (inputs, constants). */
    public static Var constant(Tensor t) { return new Var(t, false); }

    /** A leaf that accumulates a gradient (a parameter). */
    public static Var param(Tensor t) { return new Var(t, true); }

    public Tensor data() { return data; }

    /** Replaces the value in place of the graph (optimizer steps, loading weights); the shape must stay. */
    public void setData(Tensor t) {
        if (!t.shape().equals(data.shape())) {
            throw new IllegalArgumentException("setData: new value " + t.shape() + " does not match " + data.shape());
        }
        data = t;
    }

    /** The accumulated gradient, or null before any backward reached this variable. */
    public Tensor grad() { return grad; }

    public void setGrad(Tensor g) {
        if (g != null && !g.shape().equals(data.shape())) throw new IllegalArgumentException("setGrad: gradient " + g.shape() + " does not match " + data.shape());
        grad = g;
    }

    public void zeroGrad() {
        if (grad != null) grad.close();
        grad = null;
    }

    public boolean requiresGrad() { return requiresGrad; }

    /** Only leaves may change this (freezing parameters); op outputs follow their inputs. */
    public void setRequiresGrad(boolean r) {
        if (node != null) throw new IllegalStateException("setRequiresGrad: only leaves can change requiresGrad; this variable was produced by " + node.name() + " (use detach())");
        if (r && !data.dtype().isFloating()) throw new IllegalArgumentException("setRequiresGrad: " + data.dtype() + " tensors cannot require a gradient");
        requiresGrad = r;
    }

    /** The node that produced this variable, or null for a leaf. */
    public Function gradFn() { return node; }

    public boolean isLeaf() { return node == null; }

    /** Keep this non-leaf's gradient in {@link #grad()} during backward (leaves always keep theirs). */
    public Var retainGrad() {
        retainGrad = true;
        return this;
    }

    boolean retainsGrad() { return retainGrad; }

    void accumulateGrad(Tensor g) {
        Tensor c = Scope.detach(g.copy());
        if (grad == null || grad.isClosed()) grad = c;
        else {
            Tensor s = Scope.detach(grad.add(c));
            grad.close();
            c.close();
            grad = s;
        }
    }

    /** The same value as a leaf that needs no gradient: the graph stops here. Shares the tensor. */
    public Var detach() { return new Var(data, false); }

    /** Backward from a scalar output (gradient 1). */
    public void backward() {
        if (data.numel() != 1) throw new IllegalStateException("backward(): output has shape " + data.shape() + "; only a single-element output gets an implicit gradient of 1, pass backward(gradOutput) otherwise");
        try (Tensor one = Tensor.full(1.0, data.dtype().computeType(), data.device(), data.dims())) {
            Scope.detach(one);
            Engine.backward(this, one);
        }
    }

    /** Backward with the given gradient of this output (same shape). The caller keeps gradOutput. */
    public void backward(Tensor gradOutput) { Engine.backward(this, gradOutput); }

    /** Releases the graph behind this variable without computing gradients (e.g. a forward with no backward). */
    public void freeGraph() { Engine.free(this); }

    // ---------------------------------------------------------------- metadata

    public Shape shape() { return data.shape(); }

    public int[] dims() { return data.dims(); }

    public int dim(int i) { return data.dim(i); }

    public int rank() { return data.rank(); }

    public int numel() { return data.numel(); }

    public DType dtype() { return data.dtype(); }

    public double item() { return data.item(); }

    @Override
    public String toString() {
        return "Var(" + data + (node != null ? ", grad_fn=" + node.name() : requiresGrad ? ", requires_grad" : "") + ")";
    }

    // ---------------------------------------------------------------- elementwise

    public Var add(Var o) { return Add.apply(this, o); }
    public Var sub(Var o) { return Sub.apply(this, o); }
    public Var mul(Var o) { return Mul.apply(this, o); }
    public Var div(Var o) { return Div.apply(this, o); }
    public Var add(double s) { return AddScalar.apply(this, s); }
    public Var sub(double s) { return AddScalar.apply(this, -s); }
    public Var mul(double s) { return MulScalar.apply(this, s, false); }
    public Var div(double s) { return MulScalar.apply(this, s, true); }
    /** s - this. */
    public Var rsub(double s) { return AddScalar.apply(Neg.apply(this), s); }
    public Var pow(double p) { return PowScalar.apply(this, p); }
    public Var neg() { return Neg.apply(this); }
    public Var exp() { return Exp.apply(this); }
    public Var log() { return Log.apply(this); }
    public Var sqrt() { return Sqrt.apply(this); }
    public Var rsqrt() { return Rsqrt.apply(this); }
    public Var reciprocal() { return Reciprocal.apply(this); }
    public Var square() { return Square.apply(this); }
    public Var abs() { return Abs.apply(this); }
    public Var tanh() { return Tanh.apply(this); }
    public Var sigmoid() { return Sigmoid.apply(this); }
    public Var relu() { return Relu.apply(this); }
    public Var gelu() { return Gelu.apply(this); }
    /** min(max(x, lo), hi); pass Double.NEGATIVE_INFINITY / POSITIVE_INFINITY for a one-sided clamp. */
    public Var clamp(double lo, double hi) { return Clamp.apply(this, lo, hi); }
    /** x * sigmoid(1.702 x), fused forward and backward. */
    public Var quickGelu() { return QuickGelu.apply(this); }

    /** Where mask (a constant, broadcast to this shape) is non-zero, value; elsewhere this. */
    public Var maskedFill(Tensor mask, double value) { return MaskedFill.apply(this, mask, value); }

    /** cond != 0 ? a : b, broadcasting all three; cond is a constant. */
    public static Var where(Tensor cond, Var a, Var b) { return Where.apply(cond, a, b); }

    // ---------------------------------------------------------------- reductions

    public Var sum() { return Sum.apply(this, Function.allDims(rank()), false); }
    public Var sum(int dim, boolean keepdim) { return Sum.apply(this, new int[] {dim}, keepdim); }
    public Var sum(int[] dims, boolean keepdim) { return Sum.apply(this, dims, keepdim); }
    public Var mean() { return Mean.apply(this, Function.allDims(rank()), false); }
    public Var mean(int dim, boolean keepdim) { return Mean.apply(this, new int[] {dim}, keepdim); }
    public Var mean(int[] dims, boolean keepdim) { return Mean.apply(this, dims, keepdim); }
    /** Maximum along dim; the gradient goes to the first maximum (the argmax). */
    public Var max(int dim, boolean keepdim) { return Max.apply(this, dim, keepdim); }
    /** Minimum along dim; the gradient goes to the first minimal element. */
    public Var min(int dim, boolean keepdim) { return neg().max(dim, keepdim).neg(); }
    /** Variance along dims (unbiased divides by n-1). */
    public Var var(int[] dims, boolean keepdim, boolean unbiased) { return Variance.apply(this, dims, keepdim, unbiased); }
    public Var var(int dim, boolean keepdim) { return Variance.apply(this, new int[] {dim}, keepdim, true); }

    // ---------------------------------------------------------------- normalisation

    public Var softmax(int dim) { return Softmax.apply(this, dim); }
    public Var logSoftmax(int dim) { return LogSoftmax.apply(this, dim); }
    /** Fused LayerNorm over the last dimension; weight and bias may be null. */
    public Var layerNorm(Var weight, Var bias, double eps) { return LayerNormFn.apply(this, weight, bias, eps); }
    /** x / max(||x||_2, eps) along dim. */
    public Var l2Normalize(int dim, double eps) { return L2Normalize.apply(this, dim, eps); }

    // ---------------------------------------------------------------- linear algebra

    /** torch.matmul semantics: batched, broadcasting batch dims, 1-D operands promoted. */
    public Var matmul(Var o) { return MatMul.apply(this, o); }

    // ---------------------------------------------------------------- views and shapes

    public Var reshape(int... dims) { return Reshape.apply(this, dims, false); }
    /** Like reshape, but fails instead of copying. */
    public Var view(int... dims) { return Reshape.apply(this, dims, true); }
    public Var flatten() { return reshape(-1); }
    public Var permute(int... order) { return Permute.apply(this, order); }
    public Var transpose(int d0, int d1) {
        int a = data.shape().normDim(d0), b = data.shape().normDim(d1);
        int[] order = Function.allDims(rank());
        order[a] = b;
        order[b] = a;
        return Permute.apply(this, order);
    }
    public Var mT() {
        if (rank() < 2) throw new IllegalArgumentException("mT: needs rank >= 2, got shape " + shape());
        return transpose(-2, -1);
    }
    public Var narrow(int dim, int start, int length) { return Narrow.apply(this, dim, start, length); }
    /** Python-style slice [start:end) along dim; negative indices count from the end. */
    public Var slice(int dim, int start, int end) {
        int n = dim(dim);
        int s = start < 0 ? start + n : start, e = end < 0 ? end + n : Math.min(end, n);
        return narrow(dim, s, Math.max(0, e - s));
    }
    public Var select(int dim, int index) { return Select.apply(this, dim, index); }
    public Var expand(int... dims) { return Expand.apply(this, dims); }
    public Var unsqueeze(int dim) {
        int r = rank() + 1, d = dim < 0 ? dim + r : dim;
        if (d < 0 || d >= r) throw new IllegalArgumentException("unsqueeze: dimension " + dim + " out of range for shape " + shape());
        int[] nd = new int[r];
        for (int i = 0, j = 0; i < r; i++) nd[i] = i == d ? 1 : data.dim(j++);
        return Reshape.apply(this, nd, true);
    }
    public Var squeeze(int dim) {
        int d = data.shape().normDim(dim);
        if (data.dim(d) != 1) throw new IllegalArgumentException("squeeze: dimension " + dim + " of shape " + shape() + " has size " + data.dim(d) + ", not 1");
        int[] nd = new int[rank() - 1];
        for (int i = 0, j = 0; i < rank(); i++) if (i != d) nd[j++] = data.dim(i);
        return Reshape.apply(this, nd, true);
    }
    public Var squeeze() {
        int n = 0;
        for (int x : dims()) if (x != 1) n++;
        int[] nd = new int[n];
        for (int x : dims()) if (x != 1) nd[nd.length - n--] = x;
        return Reshape.apply(this, nd, true);
    }
    public Var contiguous() { return data.isContiguous() ? this : Contiguous.apply(this); }

    // ---------------------------------------------------------------- indexing and joins

    /** Entries of this along dim picked by an I32 index vector; backward scatter-adds. */
    public Var indexSelect(int dim, Tensor index) { return IndexSelect.apply(this, dim, index); }
    public Var gather(int dim, Tensor index) { return Gather.apply(this, dim, index); }

    public static Var concat(List<Var> parts, int dim) { return Concat.apply(parts, dim); }

    public static Var stack(List<Var> parts, int dim) {
        if (parts.isEmpty()) throw new IllegalArgumentException("stack: no variables given");
        List<Var> un = new ArrayList<>(parts.size());
        for (Var p : parts) {
            if (!p.shape().equals(parts.get(0).shape())) throw new IllegalArgumentException("stack: shapes differ: " + parts.get(0).shape() + " and " + p.shape());
            un.add(p.unsqueeze(dim < 0 ? dim + p.rank() + 1 : dim));
        }
        return concat(un, dim < 0 ? dim + parts.get(0).rank() + 1 : dim);
    }

    /** Consecutive chunks of the given size along dim (the last may be smaller). */
    public List<Var> split(int size, int dim) {
        if (size <= 0) throw new IllegalArgumentException("split: chunk size must be positive, got " + size);
        int n = dim(dim);
        List<Var> out = new ArrayList<>();
        for (int at = 0; at < n; at += size) out.add(narrow(dim, at, Math.min(size, n - at)));
        return out;
    }

    /** Chunks with the given sizes along dim, which must add up to its length. */
    public List<Var> split(int[] sizes, int dim) {
        int sum = 0;
        for (int s : sizes) sum += s;
        if (sum != dim(dim)) throw new IllegalArgumentException("split: sizes " + java.util.Arrays.toString(sizes) + " do not add up to " + dim(dim) + " in dimension " + dim + " of " + shape());
        List<Var> out = new ArrayList<>();
        int at = 0;
        for (int s : sizes) { out.add(narrow(dim, at, s)); at += s; }
        return out;
    }
}

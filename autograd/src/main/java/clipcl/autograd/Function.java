package clipcl.autograd;

import clipcl.tensor.Scope;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One primitive of the graph (a node): its inputs, what its backward needs, and the backward
 * itself. Each primitive is one subclass (see {@code clipcl.autograd.ops}); its static
 * {@code apply} connects the inputs, runs the forward on their tensors and wraps the result:
 *
 * <pre>
 * Mul f = new Mul();
 * f.connect(a, b);                       // which inputs need a gradient (decides what to save)
 * return f.output(f.forward(a.data(), b.data()));
 * </pre>
 *
 * Saved tensors are extra references ({@link #save}) owned by the node, not by any {@link Scope}:
 * the forward's scope may close the op outputs, the node keeps what it saved alive, and backward
 * (or {@link Var#freeGraph}) releases it the moment the node's backward has run.
 */
public abstract class Function {
    private Var[] inputs;
    private boolean[] needs;
    private final List<Tensor> saved = new ArrayList<>(2);
    private boolean released;

    /** Records the inputs and which of them need a gradient (recording on and requiresGrad set). */
    protected final void connect(Var... in) {
        if (inputs != null) throw new IllegalStateException(name() + ": connect called twice");
        inputs = in.clone();
        needs = new boolean[in.length];
        boolean on = Grad.isEnabled();
        for (int i = 0; i < in.length; i++) needs[i] = on && in[i].requiresGrad();
    }

    /** {@link #connect} with the inputs that are there: optional ones (a norm's weight, bias) are null when absent. */
    protected final void connectPresent(Var... in) {
        connect(java.util.Arrays.stream(in).filter(java.util.Objects::nonNull).toArray(Var[]::new));
    }

    /** Whether input i needs a gradient; forward saves only what those gradients need. */
    protected final boolean needsGrad(int i) { return needs[i]; }

    /** Whether any input needs a gradient (when none does, nothing is recorded). */
    protected final boolean anyNeedsGrad() {
        for (boolean b : needs) if (b) return true;
        return false;
    }

    /**
     * Keeps t for backward: returns a new reference to the same memory, owned by this node and
     * closed when its backward has run, so closing t (or its scope) does not free what backward needs.
     */
    protected final Tensor save(Tensor t) {
        if (t == null) return null;
        Tensor alias = Scope.detach(Tensor.wrap(t.storage(), t.shape(), t.strides(), t.offset()));
        saved.add(alias);
        return alias;
    }

    /**
     * Like {@link #save}, for a tensor this op made itself and hands over (no extra reference): it is
     * taken out of every scope and closed with the node.
     */
    protected final Tensor own(Tensor t) {
        Scope.detach(t);
        saved.add(t);
        return t;
    }

    /** Wraps the forward's result: a graph node when some input needs a gradient, else a constant. */
    protected final Var output(Tensor out) {
        if (inputs == null) throw new IllegalStateException(name() + ": output before connect");
        if (!anyNeedsGrad()) {
            release();
            return new Var(out, false);
        }
        return Var.fromOp(out, this);
    }

    /**
     * Gradients of the inputs given the gradient of the output: one entry per input, null where
     * {@link #needsGrad} is false. Entries must have the input's shape (use {@link #unbroadcast});
     * they may be views, and may be gradOut itself (the engine aliases shared results).
     */
    protected abstract Tensor[] backward(Tensor gradOut);

    /**
     * For single-input ops whose gradient is g placed in a region of zeros (narrow, select): add g
     * into that region of acc, a pending gradient of the input's shape that the engine owns, and
     * return true. The default (false) makes the engine call {@link #backward}.
     */
    protected boolean addGradInto(Tensor gradOut, Tensor acc) { return false; }

    /**
     * True when backward's results are always new contiguous tensors that share memory with
     * nothing (so the engine may later add into them in place). Default false.
     */
    protected boolean freshGrads() { return false; }

    /** The op's name in messages. */
    public String name() { return getClass().getSimpleName(); }

    /** The inputs (empty once the node was released by backward). */
    public List<Var> inputs() { return inputs == null || released ? List.of() : Collections.unmodifiableList(Arrays.asList(inputs)); }

    /** The tensors this node holds for backward (for tests of memory release). */
    public List<Tensor> savedTensors() { return Collections.unmodifiableList(saved); }

    /** True once backward ran through this node (or the graph was freed): its saved tensors are closed. */
    public boolean isReleased() { return released; }

    Var[] inputArray() { return inputs; }

    boolean needs(int i) { return needs[i]; }

    /** Closes what was saved and drops the inputs, so the graph behind this node can be collected. */
    final void release() {
        for (Tensor t : saved) t.close();
        saved.clear();
        released = true;
    }

    final void dropInputs() { inputs = null; }

    // ---------------------------------------------------------------- helpers for subclasses

    /**
     * Sums grad over the dimensions that broadcasting expanded so it gets the shape of the input
     * (leading dimensions added and size-1 dimensions stretched). The one helper every broadcasting
     * op uses. Returns grad itself when nothing was broadcast.
     */
    public static Tensor unbroadcast(Tensor grad, Shape shape) {
        if (grad.shape().equals(shape)) return grad;
        int gr = grad.rank(), r = shape.rank();
        if (r > gr) throw new IllegalArgumentException("unbroadcast: gradient " + grad.shape() + " has fewer dimensions than input " + shape);
        int lead = gr - r;
        int[] dims = new int[gr];
        int n = 0;
        for (int i = 0; i < gr; i++) {
            if (i < lead) dims[n++] = i;
            else if (shape.dim(i - lead) == 1 && grad.dim(i) != 1) dims[n++] = i;
            else if (shape.dim(i - lead) != grad.dim(i)) {
                throw new IllegalArgumentException("unbroadcast: gradient " + grad.shape() + " does not broadcast from input " + shape);
            }
        }
        if (n == 0) return grad.reshape(shape.toArray());
        Tensor s = grad.sum(Arrays.copyOf(dims, n), true); // keeps the rank: [1,..,1, input dims]
        Tensor out = s.reshape(shape.toArray());
        if (out != s) s.close();
        return out;
    }

    /** dims of length rank with every entry i (0..rank-1); for reducing everything. */
    protected static int[] allDims(int rank) {
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) d[i] = i;
        return d;
    }
}

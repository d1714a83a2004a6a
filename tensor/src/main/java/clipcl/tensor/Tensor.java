package clipcl.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array: a view (shape, strides, offset) over a reference-counted {@link Storage}.
 * Views (reshape, permute, narrow, expand, ...) share the storage and copy nothing. Operations
 * return new tensors computed by the backend of the tensor's device. Closing a tensor releases its
 * reference; tensors created inside a {@link Scope} are closed with it.
 */
public final class Tensor implements AutoCloseable {
    private final Storage storage;
    private final Shape shape;
    private final int[] strides;
    private final int offset;
    private boolean closed;

    Tensor(Storage storage, Shape shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        storage.retain();
        Scope.register(this);
    }

    // ---------------------------------------------------------------- creation

    /** A new contiguous tensor with unspecified contents. */
    public static Tensor empty(DType dtype, Device device, int... shape) {
        return empty(dtype, device, Shape.of(shape));
    }

    public static Tensor empty(DType dtype, Device device, Shape shape) {
        Storage s = Backends.get(device).allocate(dtype, shape.numel());
        return new Tensor(s, shape, shape.contiguousStrides(), 0);
    }

    /** On the CPU; code that may run on any device passes one (or uses {@link #emptyLike}). */
    public static Tensor empty(DType dtype, int... shape) { return empty(dtype, Device.CPU, shape); }

    /** On the CPU; code that may run on any device passes one (or uses {@link #zerosLike}). */
    public static Tensor zeros(DType dtype, int... shape) { return full(0.0, dtype, Device.CPU, shape); }

    public static Tensor ones(DType dtype, int... shape) { return full(1.0, dtype, Device.CPU, shape); }

    /** On the CPU; code that may run on any device passes one (or uses {@link #fullLike}). */
    public static Tensor full(double value, DType dtype, int... shape) { return full(value, dtype, Device.CPU, shape); }

    public static Tensor scalar(double value, DType dtype) { return full(value, dtype, Device.CPU); }

    public static Tensor zeros(DType dtype, Device device, int... shape) { return full(0.0, dtype, device, shape); }

    public static Tensor ones(DType dtype, Device device, int... shape) { return full(1.0, dtype, device, shape); }

    public static Tensor full(double value, DType dtype, Device device, int... shape) {
        Tensor t = empty(dtype, device, shape);
        t.backend().fill(t, value);
        return t;
    }

    public static Tensor scalar(double value, DType dtype, Device device) { return full(value, dtype, device); }

    /** A new contiguous tensor of like's dtype, device and shape; contents unspecified. */
    public static Tensor emptyLike(Tensor like) { return empty(like.dtype(), like.device(), like.shape()); }

    /** Zeros of like's dtype, device and shape. */
    public static Tensor zerosLike(Tensor like) { return fullLike(like, 0.0); }

    /** value in like's dtype, device and shape. */
    public static Tensor fullLike(Tensor like, double value) {
        Tensor t = emptyLike(like);
        t.backend().fill(t, value);
        return t;
    }

    /** A scalar of like's compute dtype on like's device. */
    public static Tensor scalarLike(Tensor like, double value) { return full(value, like.dtype().computeType(), like.device()); }

    /** Wraps data (row-major) without copying. */
    public static Tensor of(float[] data, int... shape) {
        checkLength(data.length, shape);
        return new Tensor(HeapStorage.wrap(data), Shape.of(shape), Shape.of(shape).contiguousStrides(), 0);
    }

    public static Tensor of(double[] data, int... shape) {
        checkLength(data.length, shape);
        return new Tensor(HeapStorage.wrap(data), Shape.of(shape), Shape.of(shape).contiguousStrides(), 0);
    }

    public static Tensor of(int[] data, int... shape) {
        checkLength(data.length, shape);
        return new Tensor(HeapStorage.wrap(data), Shape.of(shape), Shape.of(shape).contiguousStrides(), 0);
    }

    /** A tensor over existing storage (for backends and file readers). */
    public static Tensor wrap(Storage storage, Shape shape, int[] strides, int offset) {
        return new Tensor(storage, shape, strides.clone(), offset);
    }

    /** 0, 1, ..., n-1. */
    public static Tensor arange(int n, DType dtype) {
        Tensor t = empty(dtype, n);
        for (int i = 0; i < n; i++) t.setFlat(i, i);
        return t;
    }

    /** 0, 1, ..., n-1 on device: made on the host and copied over (one transfer of n elements). */
    public static Tensor arange(int n, DType dtype, Device device) {
        if (device.isCpu()) return arange(n, dtype);
        try (Tensor h = arange(n, dtype)) {
            return h.to(device);
        }
    }

    /**
     * dst += src (src broadcast to dst's shape), in place. dst may be any strided view, including
     * a view into a larger tensor (a gradient buffer); it must not overlap src, and no two of its
     * elements may share memory (no stride-0 dimensions). Returns dst.
     */
    public static Tensor addInto(Tensor dst, Tensor src) {
        Ops.open("add_into", dst, src);
        Ops.sameDevice("add_into", dst, src);
        Tensor s = src.shape().equals(dst.shape()) ? src : src.expand(dst.shape());
        try {
            dst.backend().addInto(dst, s);
        } finally {
            if (s != src) s.close();
        }
        return dst;
    }

    private static void checkLength(int len, int[] shape) {
        Shape s = Shape.of(shape);
        if (s.numel() != len) throw new IllegalArgumentException("data of length " + len + " does not fill shape " + s);
    }

    // ---------------------------------------------------------------- metadata

    public Shape shape() { return shape; }

    public int[] dims() { return shape.toArray(); }

    public int dim(int i) { return shape.dim(i); }

    public int rank() { return shape.rank(); }

    public int numel() { return shape.numel(); }

    public DType dtype() { return storage.dtype(); }

    public Device device() { return storage.device(); }

    public Storage storage() { checkOpen(); return storage; }

    public int[] strides() { return strides.clone(); }

    public int stride(int d) { return strides[shape.normDim(d)]; }

    public int offset() { return offset; }

    public Backend backend() { return Backends.get(device()); }

    /** True when the elements are laid out row-major with no gaps (size-1 dims may have any stride). */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.rank() - 1; i >= 0; i--) {
            int d = shape.dim(i);
            if (d == 1) continue;
            if (strides[i] != expected) return false;
            expected *= d;
        }
        return true;
    }

    // ---------------------------------------------------------------- views

    /** A view with new dimensions when the strides allow it (one -1 is inferred), else a copy. */
    public Tensor reshape(int... newDims) {
        int[] nd = inferDims(newDims);
        int[] st = Views.viewStrides(shape.toArray(), strides, nd);
        if (st != null) return derive("reshape", Shape.of(nd), st, offset);
        return contiguous().reshape(nd);
    }

    /** Like reshape, but fails instead of copying. */
    public Tensor view(int... newDims) {
        int[] nd = inferDims(newDims);
        int[] st = Views.viewStrides(shape.toArray(), strides, nd);
        if (st == null) throw new IllegalArgumentException("view: shape " + shape + " with strides " + Arrays.toString(strides)
                + " cannot be viewed as " + Arrays.toString(nd) + " without a copy; use reshape");
        return derive("view", Shape.of(nd), st, offset);
    }

    private int[] inferDims(int[] newDims) {
        int[] nd = newDims.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < nd.length; i++) {
            if (nd[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Arrays.toString(newDims));
                infer = i;
            } else if (nd[i] < 0) {
                throw new IllegalArgumentException("reshape: negative size in " + Arrays.toString(newDims));
            } else known *= nd[i];
        }
        if (infer >= 0) {
            if (known == 0 || numel() % known != 0) throw new IllegalArgumentException("reshape: cannot infer -1 in " + Arrays.toString(newDims) + " for " + numel() + " elements of shape " + shape);
            nd[infer] = (int) (numel() / known);
        }
        if (Shape.of(nd).numel() != numel()) throw new IllegalArgumentException("reshape: shape " + shape + " (" + numel() + " elements) cannot become " + Arrays.toString(newDims));
        return nd;
    }

    public Tensor permute(int... order) {
        int r = rank();
        if (order.length != r) throw new IllegalArgumentException("permute: " + Arrays.toString(order) + " does not match rank " + r + " of shape " + shape);
        int[] nd = new int[r], ns = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            int d = shape.normDim(order[i]);
            if (seen[d]) throw new IllegalArgumentException("permute: dimension " + d + " repeated in " + Arrays.toString(order));
            seen[d] = true;
            nd[i] = shape.dim(d);
            ns[i] = strides[d];
        }
        return derive("permute", Shape.of(nd), ns, offset);
    }

    public Tensor transpose(int d0, int d1) {
        int a = shape.normDim(d0), b = shape.normDim(d1);
        int[] order = new int[rank()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** Transpose of the last two dimensions. */
    public Tensor mT() {
        if (rank() < 2) throw new IllegalArgumentException("mT: needs rank >= 2, got shape " + shape);
        return transpose(-2, -1);
    }

    /** Elements start..start+length-1 along dim. */
    public Tensor narrow(int dim, int start, int length) {
        int d = shape.normDim(dim);
        if (start < 0 || length < 0 || start + length > shape.dim(d)) {
            throw new IllegalArgumentException("narrow: range [" + start + ", " + (start + length) + ") out of bounds for dimension " + dim + " of shape " + shape);
        }
        return derive("narrow", shape.withDim(d, length), strides, offset + (length == 0 ? 0 : start * strides[d]));
    }

    /** Python-style slice [start:end) along dim; negative indices count from the end. */
    public Tensor slice(int dim, int start, int end) {
        int n = shape.dim(dim);
        int s = start < 0 ? start + n : start, e = end < 0 ? end + n : Math.min(end, n);
        return narrow(dim, s, Math.max(0, e - s));
    }

    /** Index i along dim, removing that dimension. */
    public Tensor select(int dim, int index) {
        int d = shape.normDim(dim);
        int n = shape.dim(d);
        int i = index < 0 ? index + n : index;
        if (i < 0 || i >= n) throw new IllegalArgumentException("select: index " + index + " out of bounds for dimension " + dim + " of shape " + shape);
        int[] od = shape.toArray();
        int[] nd = new int[od.length - 1], ns = new int[od.length - 1];
        for (int k = 0, j = 0; k < od.length; k++) {
            if (k == d) continue;
            nd[j] = od[k];
            ns[j++] = strides[k];
        }
        return derive("select", Shape.of(nd), ns, offset + i * strides[d]);
    }

    /** Broadcasts to a larger shape with stride 0 (no copy); -1 keeps a dimension. */
    public Tensor expand(int... target) {
        int r = target.length;
        if (r < rank()) throw new IllegalArgumentException("expand: target " + Arrays.toString(target) + " has fewer dimensions than " + shape);
        int[] nd = new int[r], ns = new int[r];
        for (int i = 0; i < r; i++) {
            int src = i - (r - rank());
            int have = src >= 0 ? shape.dim(src) : 1;
            int want = target[i] == -1 ? have : target[i];
            if (src < 0 && target[i] == -1) throw new IllegalArgumentException("expand: -1 not allowed for new leading dimension in " + Arrays.toString(target));
            if (have == want) {
                nd[i] = have;
                ns[i] = src >= 0 ? strides[src] : 0;
            } else if (have == 1) {
                nd[i] = want;
                ns[i] = 0;
            } else {
                throw new IllegalArgumentException("expand: shape " + shape + " cannot be expanded to " + Arrays.toString(target));
            }
        }
        return derive("expand", Shape.of(nd), ns, offset);
    }

    public Tensor expand(Shape target) { return expand(target.toArray()); }

    public Tensor unsqueeze(int dim) {
        int r = rank() + 1;
        int d = dim < 0 ? dim + r : dim;
        if (d < 0 || d >= r) throw new IllegalArgumentException("unsqueeze: dimension " + dim + " out of range for shape " + shape);
        int[] nd = new int[r], ns = new int[r];
        for (int i = 0, j = 0; i < r; i++) {
            if (i == d) {
                nd[i] = 1;
                ns[i] = j < rank() ? strides[j] * shape.dim(j) : 1;
            } else {
                nd[i] = shape.dim(j);
                ns[i] = strides[j++];
            }
        }
        return derive("unsqueeze", Shape.of(nd), ns, offset);
    }

    /** Removes dimension dim, which must have size 1. */
    public Tensor squeeze(int dim) {
        int d = shape.normDim(dim);
        if (shape.dim(d) != 1) throw new IllegalArgumentException("squeeze: dimension " + dim + " of shape " + shape + " has size " + shape.dim(d) + ", not 1");
        return select(d, 0);
    }

    /** Removes every size-1 dimension. */
    public Tensor squeeze() {
        Tensor t = this;
        for (int i = rank() - 1; i >= 0; i--) if (shape.dim(i) == 1) t = t.select(i, 0);
        return t;
    }

    /** This tensor if already contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        checkOpen("contiguous");
        if (isContiguous()) return this;
        Tensor out = empty(dtype(), device(), shape);
        backend().copy(this, out);
        return out;
    }

    /** Always a new contiguous copy. */
    public Tensor copy() {
        checkOpen("copy");
        Tensor out = empty(dtype(), device(), shape);
        backend().copy(this, out);
        return out;
    }

    /** A copy converted to dtype (or this tensor if it already has it). */
    public Tensor to(DType dtype) {
        checkOpen("to(" + dtype + ")");
        if (dtype == dtype()) return this;
        Tensor out = empty(dtype, device(), shape);
        backend().copy(this, out);
        return out;
    }

    /** A copy on another device (or this tensor if it is already there). */
    public Tensor to(Device target) {
        checkOpen("to(" + target + ")");
        if (target.equals(device())) return this;
        Tensor out = empty(dtype(), target, shape);
        Backend b = device().isCpu() ? Backends.get(target) : backend();
        b.copy(this, out);
        return out;
    }

    /**
     * Copies src (broadcast to this shape) into this tensor, in place; src may be on another device
     * (one transfer, done by the non-CPU side's backend).
     */
    public Tensor copyFrom(Tensor src) {
        Tensor s = src.shape().equals(shape) ? src : src.expand(shape);
        Backend b = device().isCpu() && !src.device().isCpu() ? src.backend() : backend();
        b.copy(s, this);
        if (s != src) s.close();
        return this;
    }

    public Tensor fill(double value) {
        backend().fill(this, value);
        return this;
    }

    // ---------------------------------------------------------------- element access (slow: tests, small data)

    /** Storage index of the element at the given indices. */
    public int storageIndex(int... idx) {
        if (idx.length != rank()) throw new IllegalArgumentException("index " + Arrays.toString(idx) + " does not match rank of shape " + shape);
        int p = offset;
        for (int i = 0; i < idx.length; i++) {
            int n = shape.dim(i);
            int k = idx[i] < 0 ? idx[i] + n : idx[i];
            if (k < 0 || k >= n) throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " out of bounds for shape " + shape);
            p += k * strides[i];
        }
        return p;
    }

    /** Storage index of the i-th element in row-major order. */
    int flatToStorage(int flat) {
        int p = offset;
        for (int d = rank() - 1; d >= 0; d--) {
            int n = shape.dim(d);
            p += (flat % n) * strides[d];
            flat /= n;
        }
        return p;
    }

    public double get(int... idx) { return readStorage(storageIndex(idx)); }

    public void set(double v, int... idx) { writeStorage(storageIndex(idx), v); }

    public double getFlat(int i) { return readStorage(flatToStorage(i)); }

    public void setFlat(int i, double v) { writeStorage(flatToStorage(i), v); }

    /** The one element's value; on another device, read back with one transfer (a synchronisation point). */
    public double item() {
        if (numel() != 1) throw new IllegalArgumentException("item: tensor of shape " + shape + " has " + numel() + " elements, not 1");
        if (storage instanceof HeapStorage) return getFlat(0);
        try (Tensor h = to(Device.CPU)) {
            return h.getFlat(0);
        }
    }

    // One element conversion for the whole core: the reference backend's read/write.
    private double readStorage(int p) {
        checkOpen();
        return ReferenceBackend.read(heap(), dtype(), p);
    }

    private void writeStorage(int p, double v) {
        checkOpen();
        ReferenceBackend.write(heap(), dtype(), p, v);
    }

    private HeapStorage heap() {
        if (storage instanceof HeapStorage h) return h;
        throw new IllegalStateException("element access needs a CPU tensor; this one is on " + device() + " (use .to(Device.CPU))");
    }

    /** A new row-major float[] of the elements (converted). */
    public float[] toFloatArray() {
        Tensor c = to(Device.CPU).to(DType.F32).contiguous();
        float[] src = ((HeapStorage) c.storage).f32();
        return Arrays.copyOfRange(src, c.offset, c.offset + numel());
    }

    /** A new row-major double[] of the elements (converted). */
    public double[] toDoubleArray() {
        Tensor c = to(Device.CPU).to(DType.F64).contiguous();
        double[] src = ((HeapStorage) c.storage).f64();
        return Arrays.copyOfRange(src, c.offset, c.offset + numel());
    }

    /** A new row-major int[] of the elements (converted by truncation). */
    public int[] toIntArray() {
        Tensor c = to(Device.CPU).to(DType.I32).contiguous();
        int[] src = ((HeapStorage) c.storage).i32();
        return Arrays.copyOfRange(src, c.offset, c.offset + numel());
    }

    // ---------------------------------------------------------------- lifetime

    void checkOpen() {
        if (closed) throw new IllegalStateException("tensor of shape " + shape + " used after close");
    }

    /** Fails, naming op, if this tensor was closed. */
    void checkOpen(String op) {
        if (closed) throw new IllegalStateException(op + ": tensor " + dtype() + shape + " used after close");
    }

    /** A view over this tensor's storage; a closed tensor gives none, even while its storage lives on. */
    private Tensor derive(String op, Shape s, int[] st, int off) {
        checkOpen(op);
        return new Tensor(storage, s, st, off);
    }

    public boolean isClosed() { return closed; }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        storage.release();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor(").append(dtype()).append(", ").append(shape);
        if (!device().equals(Device.CPU)) sb.append(", ").append(device());
        if (!closed && numel() <= 16 && storage instanceof HeapStorage) {
            sb.append(", [");
            for (int i = 0; i < numel(); i++) sb.append(i == 0 ? "" : ", ").append(getFlat(i));
            sb.append("]");
        }
        return sb.append(")").toString();
    }

    // ---------------------------------------------------------------- operations (see the op-family classes)

    public Tensor add(Tensor o) { return Elementwise.binary(BinaryOp.ADD, this, o); }
    public Tensor sub(Tensor o) { return Elementwise.binary(BinaryOp.SUB, this, o); }
    public Tensor mul(Tensor o) { return Elementwise.binary(BinaryOp.MUL, this, o); }
    public Tensor div(Tensor o) { return Elementwise.binary(BinaryOp.DIV, this, o); }
    public Tensor pow(Tensor o) { return Elementwise.binary(BinaryOp.POW, this, o); }
    public Tensor maximum(Tensor o) { return Elementwise.binary(BinaryOp.MAX, this, o); }
    public Tensor minimum(Tensor o) { return Elementwise.binary(BinaryOp.MIN, this, o); }
    public Tensor add(double s) { return Elementwise.binaryScalar(BinaryOp.ADD, this, s); }
    public Tensor sub(double s) { return Elementwise.binaryScalar(BinaryOp.SUB, this, s); }
    public Tensor mul(double s) { return Elementwise.binaryScalar(BinaryOp.MUL, this, s); }
    public Tensor div(double s) { return Elementwise.binaryScalar(BinaryOp.DIV, this, s); }
    public Tensor pow(double s) { return Elementwise.binaryScalar(BinaryOp.POW, this, s); }
    public Tensor eq(Tensor o) { return Elementwise.binary(BinaryOp.EQ, this, o); }
    public Tensor ne(Tensor o) { return Elementwise.binary(BinaryOp.NE, this, o); }
    public Tensor lt(Tensor o) { return Elementwise.binary(BinaryOp.LT, this, o); }
    public Tensor le(Tensor o) { return Elementwise.binary(BinaryOp.LE, this, o); }
    public Tensor gt(Tensor o) { return Elementwise.binary(BinaryOp.GT, this, o); }
    public Tensor ge(Tensor o) { return Elementwise.binary(BinaryOp.GE, this, o); }
    public Tensor eq(double s) { return Elementwise.binaryScalar(BinaryOp.EQ, this, s); }
    public Tensor lt(double s) { return Elementwise.binaryScalar(BinaryOp.LT, this, s); }
    public Tensor gt(double s) { return Elementwise.binaryScalar(BinaryOp.GT, this, s); }

    public Tensor neg() { return Elementwise.unary(UnaryOp.NEG, this); }
    public Tensor abs() { return Elementwise.unary(UnaryOp.ABS, this); }
    public Tensor exp() { return Elementwise.unary(UnaryOp.EXP, this); }
    public Tensor log() { return Elementwise.unary(UnaryOp.LOG, this); }
    public Tensor sqrt() { return Elementwise.unary(UnaryOp.SQRT, this); }
    public Tensor rsqrt() { return Elementwise.unary(UnaryOp.RSQRT, this); }
    public Tensor reciprocal() { return Elementwise.unary(UnaryOp.RECIPROCAL, this); }
    public Tensor square() { return Elementwise.unary(UnaryOp.SQUARE, this); }
    public Tensor tanh() { return Elementwise.unary(UnaryOp.TANH, this); }
    public Tensor sigmoid() { return Elementwise.unary(UnaryOp.SIGMOID, this); }
    public Tensor relu() { return Elementwise.unary(UnaryOp.RELU, this); }
    public Tensor gelu() { return Elementwise.unary(UnaryOp.GELU, this); }
    public Tensor quickGelu() { return Elementwise.unary(UnaryOp.QUICK_GELU, this); }

    /** Where mask is non-zero, value; elsewhere this. */
    public Tensor maskedFill(Tensor mask, double value) { return Elementwise.maskedFill(this, mask, value); }

    /** Elementwise cond != 0 ? a : b, broadcasting all three. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return Elementwise.where(cond, a, b); }

    public Tensor sum() { return Reductions.sum(this, allDims(), false); }
    public Tensor sum(int dim, boolean keepdim) { return Reductions.sum(this, new int[] {dim}, keepdim); }
    public Tensor sum(int[] dims, boolean keepdim) { return Reductions.sum(this, dims, keepdim); }
    public Tensor mean() { return Reductions.mean(this, allDims(), false); }
    public Tensor mean(int dim, boolean keepdim) { return Reductions.mean(this, new int[] {dim}, keepdim); }
    public Tensor mean(int[] dims, boolean keepdim) { return Reductions.mean(this, dims, keepdim); }
    public Tensor max(int dim, boolean keepdim) { return Reductions.reduce(ReduceOp.MAX, this, dim, keepdim); }
    public Tensor min(int dim, boolean keepdim) { return Reductions.reduce(ReduceOp.MIN, this, dim, keepdim); }
    public Tensor max() { return Reductions.reduce(ReduceOp.MAX, reshape(-1), 0, false); }
    public Tensor min() { return Reductions.reduce(ReduceOp.MIN, reshape(-1), 0, false); }
    /** Indices (I32) of the first maximum along dim. */
    public Tensor argmax(int dim, boolean keepdim) { return Reductions.reduce(ReduceOp.ARGMAX, this, dim, keepdim); }
    public Tensor argmin(int dim, boolean keepdim) { return Reductions.reduce(ReduceOp.ARGMIN, this, dim, keepdim); }
    /** Variance along dims; unbiased divides by n-1 (torch's default). */
    public Tensor var(int[] dims, boolean keepdim, boolean unbiased) { return Reductions.var(this, dims, keepdim, unbiased); }
    public Tensor var(int dim, boolean keepdim) { return Reductions.var(this, new int[] {dim}, keepdim, true); }

    public Tensor softmax(int dim) { return NormOps.softmax(this, dim, false); }
    public Tensor logSoftmax(int dim) { return NormOps.softmax(this, dim, true); }
    /** LayerNorm over the last dimension; weight and bias may be null. */
    public Tensor layerNorm(Tensor weight, Tensor bias, double eps) { return NormOps.layerNorm(this, weight, bias, eps); }
    /** x / max(||x||_2, eps) along dim, as torch.nn.functional.normalize. */
    public Tensor l2Normalize(int dim, double eps) { return NormOps.l2Normalize(this, dim, eps); }

    /** Matrix product with NumPy/torch semantics: 1-D operands promoted, batch dimensions broadcast. */
    public Tensor matmul(Tensor o) { return Linalg.matmul(this, o); }

    public Tensor indexSelect(int dim, Tensor index) { return Indexing.indexSelect(this, dim, index); }
    public Tensor gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }

    public static Tensor concat(List<Tensor> parts, int dim) { return Joins.concat(parts, dim); }
    public static Tensor stack(List<Tensor> parts, int dim) { return Joins.stack(parts, dim); }
    public List<Tensor> split(int size, int dim) { return Joins.split(this, size, dim); }

    int[] allDims() {
        int[] d = new int[rank()];
        for (int i = 0; i < d.length; i++) d[i] = i;
        return d;
    }
}

package clipcl.cuda;

import clipcl.tensor.AdamStep;
import clipcl.tensor.Backend;
import clipcl.tensor.BinaryOp;
import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.ReduceOp;
import clipcl.tensor.Storage;
import clipcl.tensor.Shape;
import clipcl.tensor.Tensor;
import clipcl.tensor.UnaryOp;
import org.bytedeco.cuda.global.cudart;

/**
 * The tensor backend on one GPU. Elementwise ops, reductions, softmax, layer_norm and indexing run
 * our kernels (src/main/cuda) on strided operands without copies; matmul runs cuBLAS
 * ({@link GemmPlan} maps the row-major views). Everything is queued on the device's one stream;
 * only transfers to the host and index checks wait for it. Kernels that need contiguous F32 rows
 * (softmax, layer_norm) get a contiguous copy of other layouts first, made by the copy kernel.
 *
 * <p>Training kernels: softmax and log-softmax backward, layer_norm backward, QuickGELU backward,
 * cross-entropy forward and backward, softmax-KL forward and the student's gradient, AdamW and
 * scatter-add run our kernels ({@link FusedKernels}). Attention is composed by default (cuBLAS
 * batched products around the softmax kernel); attention.cu ({@link FusedAttention}) serves it
 * instead when {@link #setFusedAttention} or {@code -Dclipcl.cuda.attention=fused} asks: on an H200
 * at ViT-B/32's shapes its FP32 SIMT forward took 3.7x the composed forward's time, which runs on
 * the tensor cores. The Backend defaults serve the rest: the masked softmax of attention
 * (scale and mask as tensor ops, then the softmax kernel), GELU/sigmoid/tanh/ReLU/abs
 * and clamp backward, SGD, Adam with L2 decay, the sum of squares, addInto into strided views (sum,
 * then a strided copy) and the teacher's softmax-KL gradient, as compositions on the device. Linear
 * and in-place addInto are overridden here: one cuBLAS GEMM into the output plus an in-place bias
 * add, and an in-place add into dense destinations. F64 is not supported on the GPU.
 */
public final class CudaBackend implements Backend {
    static final int BLOCK = 256;

    private final CudaDevice device;
    private volatile MatmulPrecision precision = MatmulPrecision.fromProperty();
    private volatile boolean fusedAttention = fusedAttentionProperty();

    CudaBackend(CudaDevice device) { this.device = device; }

    @Override
    public String name() { return "cuda"; }

    CudaDevice device() { return device; }

    public Device deviceId() { return device.device(); }

    /** The device's caching allocator (memory statistics, emptyCache). */
    public CachingAllocator allocator() { return device.allocator(); }

    public MatmulPrecision matmulPrecision() { return precision; }

    /** FP32, TF32 or BF16 inputs for every later matmul on this device (FP32 accumulation always). */
    public void setMatmulPrecision(MatmulPrecision p) { precision = p; }

    /** Whether attention runs attention.cu (true) or is composed from products and the softmax kernel (false, the default). */
    public void setFusedAttention(boolean fused) { fusedAttention = fused; }

    private static boolean fusedAttentionProperty() {
        String s = System.getProperty("clipcl.cuda.attention", "composed").trim().toLowerCase(java.util.Locale.ROOT);
        return switch (s) {
            case "fused" -> true;
            case "composed" -> false;
            default -> throw new IllegalArgumentException("bad -Dclipcl.cuda.attention=" + s + ": expected fused or composed");
        };
    }

    /** Waits until every queued kernel and copy on this device has finished. */
    @Override
    public void synchronize() { device.makeCurrent(); device.synchronize(); }

    @Override
    public long memoryInUseBytes() { return device.allocator().inUseBytes(); }

    @Override
    public long peakMemoryBytes() { return device.allocator().peakInUseBytes(); }

    @Override
    public void resetPeakMemory() {
        device.allocator().resetPeaks();
        CudaProfile.reset();
    }

    @Override
    public Storage allocate(DType dtype, int n) {
        device.makeCurrent();
        return new CudaStorage(device, dtype, n);
    }

    // ---------------------------------------------------------------- helpers

    static CudaStorage storage(Tensor t) {
        if (t.storage() instanceof CudaStorage s) return s;
        throw new IllegalStateException("cuda backend given a tensor on " + t.device());
    }

    /** Base address of t's storage (offsets travel in the Strides struct). */
    static KernelModule.Dev base(Tensor t) { return new KernelModule.Dev(storage(t).address(0)); }

    /** Address of t's first element (for contiguous operands). */
    static KernelModule.Dev at(Tensor t) { return new KernelModule.Dev(storage(t).address(t.offset())); }

    static int code(DType t) { return t.ordinal(); }

    int grid(long work, int block) {
        return (int) Math.max(1, Math.min((work + block - 1) / block, device.smCount() * 16L));
    }

    void launch(Kernel k, long work, Object... args) {
        device.makeCurrent();
        device.kernels().launch(k, device.stream(), grid(work, BLOCK), 1, BLOCK, 1, args);
    }

    void launch2d(Kernel k, int gridX, int gridY, int blockX, int blockY, Object... args) {
        device.makeCurrent();
        device.kernels().launch(k, device.stream(), gridX, gridY, blockX, blockY, args);
    }

    /** t itself if it is contiguous F32 on this device, else a contiguous F32 copy (the caller closes it). */
    Tensor denseF32(Tensor t) {
        if (t.dtype() == DType.F32 && t.isContiguous() && t.device().equals(device.device())) return t;
        Tensor out = Tensor.empty(DType.F32, device.device(), t.shape());
        copy(t, out);
        return out;
    }

    static void closeIfCopy(Tensor copy, Tensor original) {
        if (copy != null && copy != original) copy.close();
    }

    // ---------------------------------------------------------------- Backend

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (src.numel() == 0) return;
        boolean srcGpu = src.storage() instanceof CudaStorage, dstGpu = dst.storage() instanceof CudaStorage;
        device.makeCurrent();
        if (!srcGpu && dstGpu) { Transfers.upload(this, src, dst); return; }
        if (srcGpu && !dstGpu) { Transfers.download(this, src, dst); return; }
        if (!srcGpu) throw new IllegalStateException("cuda backend asked to copy between two host tensors");
        if (!src.device().equals(dst.device())) {  // between GPUs: through the host (rare; no peer access set up)
            try (Tensor host = Tensor.empty(src.dtype(), Device.CPU, src.shape())) {
                Transfers.download(this, src, host);
                Transfers.upload(this, host, dst);
            }
            return;
        }
        if (src.dtype() == dst.dtype() && src.isContiguous() && dst.isContiguous()) {
            long bytes = (long) src.numel() * src.dtype().byteSize();
            long t0 = CudaProfile.start();
            Check.rt(cudart.cudaMemcpyAsync(new DevicePointer(at(dst).address()), new DevicePointer(at(src).address()), bytes,
                    cudart.cudaMemcpyDeviceToDevice, device.stream()), "cudaMemcpyAsync(device to device, " + bytes + " bytes)");
            CudaProfile.end("cudaMemcpy device to device", t0);
            return;
        }
        if (src.isContiguous() && dst.isContiguous()) {  // a conversion between dense buffers
            long from = at(src).address(), to = at(dst).address();
            int n = src.numel();
            if (src.dtype() == DType.F32 && dst.dtype() == DType.BF16 && from % 16 == 0 && to % 8 == 0) {
                launch2d(Kernel.CONVERT_F32_BF16, grid(n / 4 + 1, BLOCK), 1, BLOCK, 1, at(src), at(dst), n);
            } else {
                launch(Kernel.CONVERT_CONTIGUOUS, n, at(src), code(src.dtype()), at(dst), code(dst.dtype()), n);
            }
            return;
        }
        Layouts.Coalesced c = Layouts.coalesce("copy", src.dims(), src.strides(), dst.strides());
        if (CudaProfile.ON) CudaProfile.label(() -> src.shape() + " strides " + java.util.Arrays.toString(src.strides()) + " to " + java.util.Arrays.toString(dst.strides()));
        launch(Kernel.COPY_STRIDED, src.numel(), c.layout(), c.strides(0, src.offset()), base(src), code(src.dtype()),
                c.strides(1, dst.offset()), base(dst), code(dst.dtype()), src.numel());
    }

    @Override
    public void fill(Tensor dst, double value) {
        if (dst.numel() == 0) return;
        Layouts.Coalesced c = Layouts.coalesce("fill", dst.dims(), dst.strides());
        launch(Kernel.FILL_STRIDED, dst.numel(), c.layout(), c.strides(0, dst.offset()), base(dst), code(dst.dtype()), dst.numel(), value);
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        if (out.numel() == 0) return;
        requireDense("unary " + op, out);
        boolean exact = x.dtype() == DType.I32 || out.dtype() == DType.I32;
        Layouts.Coalesced c = Layouts.coalesce(op.name(), x.dims(), x.strides());
        launch(exact ? Kernel.UNARY_D : Kernel.UNARY_F, out.numel(), op.ordinal(), c.layout(), c.strides(0, x.offset()), base(x),
                code(x.dtype()), at(out), code(out.dtype()), out.numel());
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        if (out.numel() == 0) return;
        requireDense("binary " + op, out);
        boolean exact = a.dtype() == DType.I32 || b.dtype() == DType.I32 || out.dtype() == DType.I32;
        Layouts.Coalesced c = Layouts.coalesce(op.name(), out.dims(), a.strides(), b.strides());
        if (CudaProfile.ON) CudaProfile.label(() -> op + " " + out.shape());
        launch(exact ? Kernel.BINARY_D : Kernel.BINARY_F, out.numel(), op.ordinal(), c.layout(),
                c.strides(0, a.offset()), base(a), code(a.dtype()), c.strides(1, b.offset()), base(b), code(b.dtype()),
                at(out), code(out.dtype()), out.numel());
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        if (out.numel() == 0) return;
        requireDense("where", out);
        Layouts.Coalesced c = Layouts.coalesce("where", out.dims(), cond.strides(), a.strides(), b.strides());
        launch(Kernel.WHERE_STRIDED, out.numel(), c.layout(), c.strides(0, cond.offset()), base(cond), code(cond.dtype()),
                c.strides(1, a.offset()), base(a), code(a.dtype()), c.strides(2, b.offset()), base(b), code(b.dtype()),
                at(out), code(out.dtype()), out.numel());
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, int dim, Tensor out) {
        requireDense("reduce " + op, out);
        int n = x.dim(dim), step = x.stride(dim), nout = out.numel();
        if (nout == 0) return;
        if (n == 0) { fill(out, 0.0); return; }  // the front end lets only SUM reach here with n == 0
        Layouts.Coalesced c = Layouts.coalesce(op.name(), out.dims(), x.strides());
        // A block per output when its run is long and unit-stride (coalesced loads across the block);
        // otherwise a thread per output, whose neighbours then read neighbouring addresses. I32 sums
        // take the thread variant, which accumulates in double and stays exact.
        boolean block = step == 1 && n >= 128 && !(op == ReduceOp.SUM && x.dtype() == DType.I32);
        int chunks = block ? 1 : splitChunks(op, n, nout);
        if (chunks > 1) {
            reduceSplit(op, x, dim, chunks, out);
            return;
        }
        if (CudaProfile.ON) CudaProfile.label(() -> x.shape() + " dim " + dim);
        if (block) {
            device.makeCurrent();
            int threads = n >= 1024 ? 512 : 128;
            device.kernels().launch(Kernel.REDUCE_BLOCK, device.stream(), Math.min(nout, device.smCount() * 32), 1, threads, 1,
                    op.ordinal(), c.layout(), c.strides(0, x.offset()), base(x), code(x.dtype()), n, step, at(out), code(out.dtype()), nout);
        } else {
            launch(Kernel.REDUCE_THREAD, nout, op.ordinal(), c.layout(), c.strides(0, x.offset()), base(x), code(x.dtype()), n, step,
                    at(out), code(out.dtype()), nout);
        }
    }

    /**
     * Chunks to split each strided run of n into, or 1. A thread per output leaves most of the GPU
     * idle when the outputs are few and the runs long (a bias gradient: [12800, 3072] summed over
     * its rows is 3,072 threads of 12,800 loads each); split, the chunks are reduced in parallel
     * into partials and the partials reduced after. The chunking depends on the shape alone, so the
     * sums stay deterministic. Not for ARGMAX/ARGMIN, whose partial results are positions.
     */
    private int splitChunks(ReduceOp op, int n, int nout) {
        if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN || n < 256) return 1;
        long wanted = device.smCount() * 1024L;   // threads that fill the GPU
        if (nout >= wanted) return 1;
        int limit = (int) Math.min(n / 16, (wanted + nout - 1) / nout);
        for (int d = limit; d >= 4; d--) if (n % d == 0) return d;
        return 1;
    }

    /** reduce() with dim split into [chunks, n / chunks]: the inner part first, then the chunks' partials. */
    private void reduceSplit(ReduceOp op, Tensor x, int dim, int chunks, Tensor out) {
        int r = x.rank(), m = x.dim(dim) / chunks;
        int[] xd = new int[r + 1], xs = new int[r + 1], pv = new int[r];
        for (int i = 0, j = 0; i < r; i++) {
            pv[i] = i == dim ? chunks : out.dim(i);
            if (i == dim) {
                xd[j] = chunks;
                xs[j++] = x.stride(i) * m;
                xd[j] = m;
                xs[j++] = x.stride(i);
            } else {
                xd[j] = x.dim(i);
                xs[j++] = x.stride(i);
            }
        }
        int[] pd = xd.clone();
        pd[dim + 1] = 1;
        // Partials of 16-bit outputs are kept in F32.
        DType pt = out.dtype() == DType.BF16 || out.dtype() == DType.F16 ? DType.F32 : out.dtype();
        try (Tensor xv = Tensor.wrap(x.storage(), Shape.of(xd), xs, x.offset());
             Tensor partial = Tensor.empty(pt, device.device(), Shape.of(pd));
             Tensor partials = partial.view(pv)) {
            reduce(op, xv, dim + 1, partial);       // [.., chunks, 1, ..]
            reduce(op, partials, dim, out);         // [.., chunks, ..] -> [.., 1, ..]
        }
    }

    /** attention.cu, when asked for: q, k, v read through their strides, one kernel forward and two backward ({@link FusedAttention}). */
    @Override
    public boolean supportsAttention(Tensor q, Tensor k, Tensor v, Tensor mask) { return fusedAttention && FusedAttention.supports(q, k, v, mask); }

    @Override
    public boolean attention(Tensor q, Tensor k, Tensor v, Tensor mask, double scale, Tensor out, Tensor probs) {
        return FusedAttention.forward(this, q, k, v, mask, scale, out, probs);
    }

    @Override
    public boolean attentionBackward(Tensor q, Tensor k, Tensor v, Tensor probs, Tensor g, double scale, Tensor dq, Tensor dk, Tensor dv) {
        return FusedAttention.backward(this, q, k, v, probs, g, scale, dq, dk, dv);
    }

    @Override
    public void softmax(Tensor x, int dim, boolean log, Tensor out) {
        if (out.numel() == 0) return;
        int last = x.rank() - 1;
        // Rows along the last dimension: transpose dim there (a view), make it dense, and write back
        // through the same transposed view of out.
        try (Tensor xt = x.transpose(dim, last); Tensor ot = out.transpose(dim, last)) {
            Tensor xd = denseF32(xt);
            Tensor od = ot.isContiguous() && out.dtype() == DType.F32 ? ot : Tensor.empty(DType.F32, device.device(), xt.shape());
            try {
                int n = xt.dim(last), rows = xt.numel() / n;
                FusedKernels.softmaxRows(this, xd, od, rows, n, log);
                if (od != ot) copy(od, ot);
            } finally {
                closeIfCopy(xd, xt);
                closeIfCopy(od, ot);
            }
        }
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out) { layerNormWithStats(x, weight, bias, eps, out, null, null); }

    /** The forward kernel writes each row's mean and rstd as it goes (mean, rstd: dense F32 [rows] or null). */
    @Override
    public boolean layerNormWithStats(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out, Tensor mean, Tensor rstd) {
        if (out.numel() == 0) return false;
        boolean stats = mean != null && rstd != null && mean.dtype() == DType.F32 && rstd.dtype() == DType.F32 && mean.isContiguous() && rstd.isContiguous();
        requireDense("layer_norm", out);
        Tensor xd = denseF32(x), w = weight == null ? null : denseF32(weight), b = bias == null ? null : denseF32(bias);
        Tensor od = out.dtype() == DType.F32 ? out : Tensor.empty(DType.F32, device.device(), out.shape());
        try {
            int n = x.dim(-1), rows = x.numel() / n;
            FusedKernels.layerNormForward(this, xd, w, b, od, stats ? mean : null, stats ? rstd : null, rows, n, (float) eps);
            if (od != out) copy(od, out);
        } finally {
            closeIfCopy(xd, x);
            closeIfCopy(w, weight);
            closeIfCopy(b, bias);
            closeIfCopy(od, out);
        }
        return stats;
    }

    @Override
    public void matmul(Tensor a, Tensor bm, Tensor out) {
        if (out.numel() == 0) return;
        requireDense("matmul", out);
        int k = a.dim(2);
        if (k == 0) { fill(out, 0.0); return; }
        MatmulPrecision p = precision;
        // BF16 products: at BF16 precision (the autocast cast of F32 operands) and whenever both
        // operands already are BF16 (as torch.matmul on bfloat16 tensors). Otherwise the views go to
        // cuBLAS as they are when GemmPlan can express them, else as dense F32 copies.
        boolean bothBf16 = a.dtype() == DType.BF16 && bm.dtype() == DType.BF16;
        boolean bf16 = p == MatmulPrecision.BF16 || bothBf16;
        Tensor ad = bf16 && a.dtype() != DType.BF16 ? convert(a, DType.BF16) : a;
        Tensor bd = bf16 && bm.dtype() != DType.BF16 ? convert(bm, DType.BF16) : bm;
        // cuBLAS writes F32 or (from BF16 operands) BF16 directly; other output dtypes go through F32.
        boolean bf16Out = bf16 && out.dtype() == DType.BF16;
        Tensor od = out.dtype() == DType.F32 || bf16Out ? out : Tensor.empty(DType.F32, device.device(), out.shape());
        try {
            GemmPlan plan = ad.dtype() == bd.dtype() && (bf16 || ad.dtype() == DType.F32) ? GemmPlan.of(ad.dims(), ad.strides(), bd.dims(), bd.strides()) : null;
            if (plan == null) {
                Tensor a2 = denseF32(ad), b2 = denseF32(bd);
                if (ad != a) ad.close();
                if (bd != bm) bd.close();
                ad = a2;
                bd = b2;
                bf16 = false;
                if (bf16Out) {
                    bf16Out = false;
                    od = Tensor.empty(DType.F32, device.device(), out.shape());
                }
                plan = GemmPlan.of(ad.dims(), ad.strides(), bd.dims(), bd.strides());
            }
            device.makeCurrent();
            device.cublas().gemm(plan, at(bd).address(), at(ad).address(), at(od).address(), bf16 ? MatmulPrecision.BF16 : p, bf16, bf16Out);
            if (od != out) copy(od, out);
        } finally {
            closeIfCopy(ad, a);
            closeIfCopy(bd, bm);
            closeIfCopy(od, out);
        }
    }

    /**
     * t in dtype, on this device. A view that covers its span of memory densely in some order (a
     * transposed weight or activation, as a product's backward passes them) keeps its strides: the
     * span is converted in memory order by the vectorised kernel and viewed as t is, and the product
     * reads the transposed layout as it would have read t's. Other layouts become contiguous.
     */
    private Tensor convert(Tensor t, DType dtype) {
        if (!t.isContiguous() && denseSpan(t)) {
            try (Tensor span = Tensor.wrap(t.storage(), Shape.of(t.numel()), new int[] {1}, t.offset());
                 Tensor converted = Tensor.empty(dtype, device.device(), t.numel())) {
                copy(span, converted);
                return Tensor.wrap(converted.storage(), t.shape(), t.strides(), 0);
            }
        }
        Tensor out = Tensor.empty(dtype, device.device(), t.shape());
        copy(t, out);
        return out;
    }

    /** Whether t's elements fill [offset, offset + numel) exactly: its dims of size > 1, ordered by stride, are contiguous. */
    static boolean denseSpan(Tensor t) {
        int r = t.rank();
        Integer[] order = new Integer[r];
        for (int i = 0; i < r; i++) order[i] = i;
        java.util.Arrays.sort(order, (i, j) -> Integer.compare(t.stride(i), t.stride(j)));
        long expect = 1;
        for (int i : order) {
            if (t.dim(i) == 1) continue;
            if (t.stride(i) != expect) return false;
            expect *= t.dim(i);
        }
        return true;
    }

    @Override
    public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        if (out.numel() == 0) return;
        requireDense("index_select", out);
        Tensor idx = indexOnDevice(index);
        try {
            long flag = device.resetFlag();
            launch(Kernel.INDEX_SELECT, out.numel(), exactLayout(out.dims()),
                    exactStrides(x), base(x), code(x.dtype()), dim, x.dim(dim), at(idx), at(out), code(out.dtype()), out.numel(),
                    new KernelModule.Dev(flag));
            int bad = device.readFlag();
            if (bad != 0) throw new IndexOutOfBoundsException("index_select on cuda: an index is out of range for dimension " + dim + " of size " + x.dim(dim) + " (output element " + (bad - 1) + ")");
        } finally {
            closeIfCopy(idx, index);
        }
    }

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        if (out.numel() == 0) return;
        requireDense("gather", out);
        Tensor idx = index.device().equals(device.device()) && index.dtype() == DType.I32 ? index : indexOnDevice(index);
        try {
            long flag = device.resetFlag();
            int[] ist = new int[1 + Layouts.MAX_RANK];
            ist[0] = idx.offset();
            System.arraycopy(idx.strides(), 0, ist, 1, idx.rank());
            launch(Kernel.GATHER_STRIDED, out.numel(), exactLayout(out.dims()), exactStrides(x), base(x), code(x.dtype()), dim, x.dim(dim),
                    ist, base(idx), at(out), code(out.dtype()), out.numel(), new KernelModule.Dev(flag));
            int bad = device.readFlag();
            if (bad != 0) throw new IndexOutOfBoundsException("gather on cuda: an index is out of range for dimension " + dim + " of size " + x.dim(dim) + " (output element " + (bad - 1) + ")");
        } finally {
            closeIfCopy(idx, index);
        }
    }

    /** Layout without coalescing (the indexing kernels need dim to keep its position). */
    private static int[] exactLayout(int[] dims) {
        if (dims.length > Layouts.MAX_RANK) throw new IllegalArgumentException("indexing on cuda: rank " + dims.length + " > " + Layouts.MAX_RANK);
        int[] l = new int[1 + Layouts.MAX_RANK];
        l[0] = dims.length;
        System.arraycopy(dims, 0, l, 1, dims.length);
        return l;
    }

    private static int[] exactStrides(Tensor t) {
        int[] s = new int[1 + Layouts.MAX_RANK];
        s[0] = t.offset();
        System.arraycopy(t.strides(), 0, s, 1, t.rank());
        return s;
    }

    /** A contiguous I32 copy of index on this device (or index itself when it already is one). */
    private Tensor indexOnDevice(Tensor index) {
        if (index.device().equals(device.device()) && index.dtype() == DType.I32 && index.isContiguous()) return index;
        Tensor out = Tensor.empty(DType.I32, device.device(), index.shape());
        copy(index, out);
        return out;
    }

    private static void requireDense(String op, Tensor out) {
        if (!out.isContiguous()) throw new IllegalArgumentException(op + " on cuda: the output must be a fresh contiguous tensor, got strides " + java.util.Arrays.toString(out.strides()));
    }

    // ---------------------------------------------------------------- training kernels

    /** An F32 output: itself when dense F32, else a dense F32 scratch (copied into it by {@link #finish}). */
    private Tensor outF32(Tensor out) {
        if (out == null) return null;
        return out.dtype() == DType.F32 && out.isContiguous() ? out : Tensor.empty(DType.F32, device.device(), out.shape());
    }

    private void finish(Tensor scratch, Tensor out) {
        if (scratch != null && scratch != out) {
            copy(scratch, out);
            scratch.close();
        }
    }

    /** Into a dense destination in place (the elementwise kernel reads each element before writing it); else the default. */
    @Override
    public void addInto(Tensor dst, Tensor src) {
        if (dst.isContiguous() && dst.numel() > 0) binary(BinaryOp.ADD, dst, src, dst);
        else if (dst.numel() > 0) Backend.super.addInto(dst, src);
    }

    /** One cuBLAS GEMM straight into out (W^T as a transposed view, no copy), then the bias added in place. */
    @Override
    public void linear(Tensor x, Tensor w, Tensor b, Tensor out) {
        if (out.numel() == 0) return;
        try (Tensor x3 = x.unsqueeze(0); Tensor wt = w.mT(); Tensor w3 = wt.unsqueeze(0); Tensor o3 = out.unsqueeze(0)) {
            matmul(x3, w3, o3);                                                    // [1,M,K] x [1,K,N] -> [1,M,N]
        }
        if (b != null) {
            try (Tensor be = b.expand(out.dim(0), out.dim(1))) { binary(BinaryOp.ADD, out, be, out); }
        }
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor g, int dim, boolean log, double scale, Tensor dx) {
        if (dx.numel() == 0) return;
        int last = y.rank() - 1;
        try (Tensor yt = y.transpose(dim, last); Tensor gt = g.transpose(dim, last); Tensor dt = dx.transpose(dim, last)) {
            Tensor yd = denseF32(yt), gd = denseF32(gt);
            Tensor od = dt.isContiguous() && dx.dtype() == DType.F32 ? dt : Tensor.empty(DType.F32, device.device(), yt.shape());
            try {
                FusedKernels.softmaxBackwardRows(this, yd, gd, od, log);
                if (scale != 1) {
                    try (Tensor s = Tensor.empty(DType.F32, device.device())) {
                        fill(s, scale);
                        try (Tensor se = s.expand(od.shape())) { binary(BinaryOp.MUL, od, se, od); } // in place: elementwise
                    }
                }
                if (od != dt) copy(od, dt);
            } finally {
                closeIfCopy(yd, yt);
                closeIfCopy(gd, gt);
                closeIfCopy(od, dt);
            }
        }
    }

    @Override
    public void layerNormBackward(Tensor g, Tensor x, Tensor weight, double eps, Tensor mean, Tensor rstd, Tensor dx, Tensor dw, Tensor db) {
        if (x == null) { Backend.super.layerNormBackward(g, x, weight, eps, mean, rstd, dx, dw, db); return; }
        boolean stats = mean != null && rstd != null && mean.dtype() == DType.F32 && rstd.dtype() == DType.F32 && mean.isContiguous() && rstd.isContiguous();
        Tensor gd = denseF32(g), xd = denseF32(x), w = weight == null ? null : denseF32(weight);
        Tensor dxo = outF32(dx), dwo = outF32(dw), dbo = outF32(db);
        try {
            FusedKernels.layerNormBackward(this, gd, xd, w, (float) eps, stats ? mean : null, stats ? rstd : null, dxo, dwo, dbo);
            finish(dxo, dx);
            finish(dwo, dw);
            finish(dbo, db);
        } finally {
            closeIfCopy(gd, g);
            closeIfCopy(xd, x);
            closeIfCopy(w, weight);
        }
    }

    @Override
    public void unaryBackward(UnaryOp op, Tensor saved, Tensor g, Tensor dx) {
        if (op != UnaryOp.QUICK_GELU) { Backend.super.unaryBackward(op, saved, g, dx); return; }
        Tensor xd = denseF32(saved), gd = denseF32(g), o = outF32(dx);
        try {
            FusedKernels.quickGeluBackward(this, xd, gd, o);
            finish(o, dx);
        } finally {
            closeIfCopy(xd, saved);
            closeIfCopy(gd, g);
        }
    }

    @Override
    public void crossEntropy(Tensor logits, Tensor targets, Tensor loss, Tensor lse) {
        if (loss.numel() == 0) return;
        Tensor xd = denseF32(logits), td = indexOnDevice(targets), lo = outF32(loss), ls = outF32(lse);
        try {
            FusedKernels.crossEntropy(this, xd, td, lo, ls);
            finish(lo, loss);
            finish(ls, lse);
        } finally {
            closeIfCopy(xd, logits);
            closeIfCopy(td, targets);
        }
    }

    @Override
    public void crossEntropyBackward(Tensor logits, Tensor targets, Tensor lse, Tensor dloss, Tensor dx) {
        if (dx.numel() == 0) return;
        Tensor xd = denseF32(logits), td = indexOnDevice(targets), ld = denseF32(lse), gd = denseF32(dloss), o = outF32(dx);
        try {
            FusedKernels.crossEntropyBackward(this, xd, td, ld, gd, o);
            finish(o, dx);
        } finally {
            closeIfCopy(xd, logits);
            closeIfCopy(td, targets);
            closeIfCopy(ld, lse);
            closeIfCopy(gd, dloss);
        }
    }

    @Override
    public void softmaxKl(Tensor oldLogits, Tensor newLogits, double t, Tensor kl) {
        if (kl.numel() == 0) return;
        int c = oldLogits.dim(-1);
        try (Tensor o2 = oldLogits.reshape(-1, c); Tensor n2 = newLogits.reshape(-1, c)) {
            Tensor od = denseF32(o2), nd = denseF32(n2), k = outF32(kl);
            try {
                FusedKernels.softmaxKl(this, od, nd, k, (float) t);
                finish(k, kl);
            } finally {
                closeIfCopy(od, o2);
                closeIfCopy(nd, n2);
            }
        }
    }

    @Override
    public void softmaxKlBackward(Tensor oldLogits, Tensor newLogits, double t, Tensor dkl, Tensor dOld, Tensor dNew) {
        // No kernel for the teacher's gradient: the composed default computes both.
        if (dOld != null || dNew == null) { Backend.super.softmaxKlBackward(oldLogits, newLogits, t, dkl, dOld, dNew); return; }
        int c = oldLogits.dim(-1);
        try (Tensor o2 = oldLogits.reshape(-1, c); Tensor n2 = newLogits.reshape(-1, c); Tensor d2 = dNew.reshape(-1, c)) {
            Tensor od = denseF32(o2), nd = denseF32(n2), gd = denseF32(dkl), o = outF32(d2);
            try {
                FusedKernels.softmaxKlBackwardStudent(this, od, nd, gd, o, (float) t);
                finish(o, d2);
            } finally {
                closeIfCopy(od, o2);
                closeIfCopy(nd, n2);
                closeIfCopy(gd, dkl);
            }
        }
    }

    @Override
    public void scatterAdd(Tensor dst, int dim, Tensor index, Tensor src) {
        if (dst.dtype() != DType.F32 || !dst.isContiguous() || src.rank() > Layouts.MAX_RANK) { Backend.super.scatterAdd(dst, dim, index, src); return; }
        int[] dstStrides = new int[1 + Layouts.MAX_RANK];
        System.arraycopy(dst.strides(), 0, dstStrides, 1, dst.rank());
        FusedKernels.scatterAdd(this, dst, dim, index, src, exactLayout(src.dims()), exactStrides(index), exactStrides(src), dstStrides);
    }

    @Override
    public void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, AdamStep c) {
        boolean dense = p.dtype() == DType.F32 && m.dtype() == DType.F32 && v.dtype() == DType.F32 && p.isContiguous() && m.isContiguous() && v.isContiguous();
        if (!dense || !(c.decoupled() || c.weightDecay() == 0)) { Backend.super.adamStep(p, g, m, v, c); return; }
        Tensor gd = denseF32(g);
        try {
            FusedKernels.adamw(this, p, gd, m, v, (float) c.lr(), (float) c.beta1(), (float) c.beta2(), (float) c.eps(),
                    (float) (c.decoupled() ? c.weightDecay() : 0), (float) c.biasCorrection1(), (float) c.biasCorrection2());
        } finally {
            closeIfCopy(gd, g);
        }
    }
}

package clipcl.tensor.strict;

import clipcl.tensor.AdamStep;
import clipcl.tensor.Backend;
import clipcl.tensor.Backends;
import clipcl.tensor.BinaryOp;
import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.ReduceOp;
import clipcl.tensor.Scope;
import clipcl.tensor.SgdStep;
import clipcl.tensor.Storage;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;
import clipcl.tensor.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The strict test device ({@link Device#TEST}, "test"): a backend over its own storage type that
 * computes with the CPU backend on the host memory behind it, so its results equal the CPU's bit
 * for bit, but refuses every operand that lives elsewhere, as a GPU backend must. Copies between it
 * and the host are the only way in or out, and each is counted. Running the autograd, CLIP and
 * training code on this device in CI proves that nothing above the tensor core touches host
 * memory behind the backend's back (a GPU run would fail there), without a GPU.
 *
 * <p>Device index 0 runs every training kernel on the CPU backend (bit-equal to the CPU); index 1
 * runs the {@link Backend} defaults for the training kernels instead (compositions of the
 * primitives), which is how the defaults that a GPU backend inherits are tested. Test use only:
 * nothing selects this device unless asked to.
 */
public final class StrictBackend implements Backend {
    /** The device whose training kernels are the Backend defaults. */
    public static final Device DEFAULTS = new Device(Device.Kind.TEST, 1);

    private static final AtomicLong LIVE = new AtomicLong(), BYTES = new AtomicLong(), PEAK = new AtomicLong();
    private static final AtomicLong UPLOADS = new AtomicLong(), DOWNLOADS = new AtomicLong();
    private static final StrictBackend[] INSTANCES = {new StrictBackend(Device.TEST), new StrictBackend(DEFAULTS)};

    private final Device device;
    private final boolean defaults;

    private StrictBackend(Device device) {
        this.device = device;
        this.defaults = device.index() == 1;
    }

    public static StrictBackend get() { return INSTANCES[0]; }

    public static Backend get(Device d) {
        if (d.kind() != Device.Kind.TEST || d.index() < 0 || d.index() > 1) throw new IllegalArgumentException("no strict test device " + d + " (test:0 and test:1 exist)");
        return INSTANCES[d.index()];
    }

    /** Host-to-device copies since start (or the last reset). */
    public static long uploads() { return UPLOADS.get(); }

    /** Device-to-host copies since start (or the last reset). */
    public static long downloads() { return DOWNLOADS.get(); }

    public static long transfers() { return UPLOADS.get() + DOWNLOADS.get(); }

    public static void resetTransfers() {
        UPLOADS.set(0);
        DOWNLOADS.set(0);
    }

    /** Storages of this device not yet released (tensors never closed still hold theirs). */
    public static long liveStorages() { return LIVE.get(); }

    static void allocated(long bytes) {
        LIVE.incrementAndGet();
        PEAK.accumulateAndGet(BYTES.addAndGet(bytes), Math::max);
    }

    static void freed(long bytes) {
        LIVE.decrementAndGet();
        BYTES.addAndGet(-bytes);
    }

    private static final AtomicLong LEAKS = new AtomicLong(), LEAKED_BYTES = new AtomicLong();

    /** A storage was garbage-collected while still referenced by an unclosed tensor: its memory counts as released. */
    static synchronized void leaked(long bytes) {
        LEAKS.incrementAndGet();
        LEAKED_BYTES.addAndGet(bytes);
        freed(bytes);
    }

    /** Storages of this device that the garbage collector reclaimed without a close (leaks), since start. */
    public static long leaks() { return LEAKS.get(); }

    /** Bytes of those leaked storages: in use + leaked bytes is what the tensors never closed hold, whenever the collector runs. */
    public static long leakedBytes() { return LEAKED_BYTES.get(); }

    /**
     * Bytes in use plus bytes leaked, read together: the collector's thread moves a leaked storage from
     * one to the other, and two separate reads can see it in both (or neither).
     */
    public static synchronized long heldBytes() { return BYTES.get() + LEAKED_BYTES.get(); }

    /** Computes synchronously: nothing to wait for. */
    @Override
    public void synchronize() { }

    @Override
    public long memoryInUseBytes() { return BYTES.get(); }

    @Override
    public long peakMemoryBytes() { return PEAK.get(); }

    @Override
    public void resetPeakMemory() { PEAK.set(BYTES.get()); }

    public Device device() { return device; }

    @Override
    public String name() { return defaults ? "strict-defaults" : "strict"; }

    @Override
    public Storage allocate(DType dtype, int n) { return new StrictStorage(device, dtype, n); }

    // ---------------------------------------------------------------- the one door: host views of our operands

    /** Host views of the operands for one call, closed after it. */
    private final class Call implements AutoCloseable {
        private final String op;
        private final List<Tensor> views = new ArrayList<>(6);

        Call(String op) { this.op = op; }

        Tensor h(Tensor t) {
            if (t == null) return null;
            if (!(t.storage() instanceof StrictStorage s)) {
                throw new IllegalStateException("strict device " + device + ": " + op + " was given an operand on " + t.device() + " (" + t.dtype() + " " + t.shape()
                        + "); every operand must be on " + device + ": move it explicitly with .to(device)");
            }
            if (!s.device().equals(device)) throw new IllegalStateException("strict device " + device + ": " + op + " was given an operand on " + s.device());
            Tensor v = Tensor.wrap(s.hostStorage(), t.shape(), t.strides(), t.offset());
            views.add(v);
            return v;
        }

        @Override
        public void close() { for (Tensor v : views) v.close(); }
    }

    private static Backend cpu() { return Backends.cpu(); }

    // ---------------------------------------------------------------- primitives

    @Override
    public void copy(Tensor src, Tensor dst) {
        boolean srcHost = src.storage() instanceof HeapStorage, dstHost = dst.storage() instanceof HeapStorage;
        try (Call c = new Call("copy")) {
            if (srcHost && !dstHost) {
                UPLOADS.incrementAndGet();
                cpu().copy(src, c.h(dst));
            } else if (!srcHost && dstHost) {
                DOWNLOADS.incrementAndGet();
                cpu().copy(c.h(src), dst);
            } else {
                cpu().copy(c.h(src), c.h(dst));
            }
        }
    }

    @Override
    public void fill(Tensor dst, double value) { try (Call c = new Call("fill")) { cpu().fill(c.h(dst), value); } }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) { try (Call c = new Call(op.name())) { cpu().unary(op, c.h(x), c.h(out)); } }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) { try (Call c = new Call(op.name())) { cpu().binary(op, c.h(a), c.h(b), c.h(out)); } }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) { try (Call c = new Call("where")) { cpu().where(c.h(cond), c.h(a), c.h(b), c.h(out)); } }

    @Override
    public void reduce(ReduceOp op, Tensor x, int dim, Tensor out) { try (Call c = new Call(op.name())) { cpu().reduce(op, c.h(x), dim, c.h(out)); } }

    @Override
    public void softmax(Tensor x, int dim, boolean log, Tensor out) { try (Call c = new Call("softmax")) { cpu().softmax(c.h(x), dim, log, c.h(out)); } }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out) {
        try (Call c = new Call("layer_norm")) { cpu().layerNorm(c.h(x), c.h(weight), c.h(bias), eps, c.h(out)); }
    }

    @Override
    public void matmul(Tensor a, Tensor bm, Tensor out) { try (Call c = new Call("matmul")) { cpu().matmul(c.h(a), c.h(bm), c.h(out)); } }

    @Override
    public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        try (Call c = new Call("index_select")) { cpu().indexSelect(c.h(x), dim, c.h(index), c.h(out)); }
    }

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) { try (Call c = new Call("gather")) { cpu().gather(c.h(x), dim, c.h(index), c.h(out)); } }

    // ---------------------------------------------------------------- training kernels (the CPU's, or the defaults on test:1)

    @Override
    public void addInto(Tensor dst, Tensor src) {
        if (defaults) { Backend.super.addInto(dst, src); return; }
        try (Call c = new Call("add_into")) { cpu().addInto(c.h(dst), c.h(src)); }
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor g, int dim, boolean log, double scale, Tensor dx) {
        if (defaults) { Backend.super.softmaxBackward(y, g, dim, log, scale, dx); return; }
        try (Call c = new Call("softmax backward")) { cpu().softmaxBackward(c.h(y), c.h(g), dim, log, scale, c.h(dx)); }
    }

    @Override
    public void maskedSoftmax(Tensor x, Tensor mask, double scale, Tensor out) {
        if (defaults) { Backend.super.maskedSoftmax(x, mask, scale, out); return; }
        try (Call c = new Call("masked softmax")) { cpu().maskedSoftmax(c.h(x), c.h(mask), scale, c.h(out)); }
    }

    /**
     * The fused-attention entry points, served on the host by the same products and masked softmax
     * the front end composes otherwise (so results are bit-identical to the CPU's), which runs the
     * fused path of autograd's attention op (saving q, k, v; the backend's backward) without a GPU.
     */
    @Override
    public boolean supportsAttention(Tensor q, Tensor k, Tensor v, Tensor mask) { return !defaults && (mask == null || mask.rank() == 2); }

    @Override
    public boolean attention(Tensor q, Tensor k, Tensor v, Tensor mask, double scale, Tensor out, Tensor probs) {
        if (!supportsAttention(q, k, v, mask)) return false;
        try (Call c = new Call("attention"); Scope s = Scope.open()) {
            Tensor p = Training.maskedSoftmax(c.h(q).matmul(c.h(k).mT()), c.h(mask), scale);
            c.h(probs).copyFrom(p);
            c.h(out).copyFrom(p.matmul(c.h(v)));
        }
        return true;
    }

    @Override
    public boolean attentionBackward(Tensor q, Tensor k, Tensor v, Tensor probs, Tensor g, double scale, Tensor dq, Tensor dk, Tensor dv) {
        if (!supportsAttention(q, k, v, null)) return false;
        try (Call c = new Call("attention backward"); Scope s = Scope.open()) {
            Tensor p = c.h(probs), gh = c.h(g);
            if (dv != null) c.h(dv).copyFrom(p.mT().matmul(gh));
            if (dq != null || dk != null) {
                Tensor ds = Training.softmaxBackward(p, gh.matmul(c.h(v).mT()), -1, false, scale);
                if (dq != null) c.h(dq).copyFrom(ds.matmul(c.h(k)));
                if (dk != null) c.h(dk).copyFrom(ds.mT().matmul(c.h(q)));
            }
        }
        return true;
    }

    /** The fused inference kernels: the host's, on host copies (false where the host has none: the caller composes). */
    @Override
    public boolean fusesInference() { return !defaults; }

    @Override
    public boolean selfAttentionInference(Tensor qkv, int heads, Tensor mask, double scale, Tensor out) {
        if (defaults) return false;
        try (Call c = new Call("self-attention")) { return cpu().selfAttentionInference(c.h(qkv), heads, c.h(mask), scale, c.h(out)); }
    }

    @Override
    public boolean linearQuickGelu(Tensor x, Tensor w, Tensor b, Tensor out) {
        if (defaults) return false;
        try (Call c = new Call("linear + quick_gelu")) { return cpu().linearQuickGelu(c.h(x), c.h(w), c.h(b), c.h(out)); }
    }

    @Override
    public boolean layerNormWithStats(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out, Tensor mean, Tensor rstd) {
        if (defaults) return Backend.super.layerNormWithStats(x, weight, bias, eps, out, mean, rstd);
        try (Call c = new Call("layer_norm")) { return cpu().layerNormWithStats(c.h(x), c.h(weight), c.h(bias), eps, c.h(out), c.h(mean), c.h(rstd)); }
    }

    @Override
    public void layerNormBackward(Tensor g, Tensor x, Tensor weight, double eps, Tensor mean, Tensor rstd, Tensor dx, Tensor dw, Tensor db) {
        if (defaults) { Backend.super.layerNormBackward(g, x, weight, eps, mean, rstd, dx, dw, db); return; }
        try (Call c = new Call("layer_norm backward")) {
            cpu().layerNormBackward(c.h(g), c.h(x), c.h(weight), eps, c.h(mean), c.h(rstd), c.h(dx), c.h(dw), c.h(db));
        }
    }

    @Override
    public void crossEntropy(Tensor logits, Tensor targets, Tensor loss, Tensor lse) {
        if (defaults) { Backend.super.crossEntropy(logits, targets, loss, lse); return; }
        try (Call c = new Call("cross_entropy")) { cpu().crossEntropy(c.h(logits), c.h(targets), c.h(loss), c.h(lse)); }
    }

    @Override
    public void crossEntropyBackward(Tensor logits, Tensor targets, Tensor lse, Tensor dloss, Tensor dx) {
        if (defaults) { Backend.super.crossEntropyBackward(logits, targets, lse, dloss, dx); return; }
        try (Call c = new Call("cross_entropy backward")) { cpu().crossEntropyBackward(c.h(logits), c.h(targets), c.h(lse), c.h(dloss), c.h(dx)); }
    }

    @Override
    public void softmaxKl(Tensor oldLogits, Tensor newLogits, double t, Tensor kl) {
        if (defaults) { Backend.super.softmaxKl(oldLogits, newLogits, t, kl); return; }
        try (Call c = new Call("softmax_kl")) { cpu().softmaxKl(c.h(oldLogits), c.h(newLogits), t, c.h(kl)); }
    }

    @Override
    public void softmaxKlBackward(Tensor oldLogits, Tensor newLogits, double t, Tensor dkl, Tensor dOld, Tensor dNew) {
        if (defaults) { Backend.super.softmaxKlBackward(oldLogits, newLogits, t, dkl, dOld, dNew); return; }
        try (Call c = new Call("softmax_kl backward")) { cpu().softmaxKlBackward(c.h(oldLogits), c.h(newLogits), t, c.h(dkl), c.h(dOld), c.h(dNew)); }
    }

    @Override
    public void unaryBackward(UnaryOp op, Tensor saved, Tensor g, Tensor dx) {
        if (defaults) { Backend.super.unaryBackward(op, saved, g, dx); return; }
        try (Call c = new Call(op.name() + " backward")) { cpu().unaryBackward(op, c.h(saved), c.h(g), c.h(dx)); }
    }

    @Override
    public void clampBackward(Tensor x, Tensor g, double lo, double hi, Tensor dx) {
        if (defaults) { Backend.super.clampBackward(x, g, lo, hi, dx); return; }
        try (Call c = new Call("clamp backward")) { cpu().clampBackward(c.h(x), c.h(g), lo, hi, c.h(dx)); }
    }

    @Override
    public void linear(Tensor x, Tensor w, Tensor b, Tensor out) {
        if (defaults) { Backend.super.linear(x, w, b, out); return; }
        try (Call c = new Call("linear")) { cpu().linear(c.h(x), c.h(w), c.h(b), c.h(out)); }
    }

    @Override
    public void scatterAdd(Tensor dst, int dim, Tensor index, Tensor src) {
        if (defaults) { Backend.super.scatterAdd(dst, dim, index, src); return; }
        try (Call c = new Call("scatter_add")) { cpu().scatterAdd(c.h(dst), dim, c.h(index), c.h(src)); }
    }

    @Override
    public void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, AdamStep s) {
        if (defaults) { Backend.super.adamStep(p, g, m, v, s); return; }
        try (Call c = new Call("adam")) { cpu().adamStep(c.h(p), c.h(g), c.h(m), c.h(v), s); }
    }

    @Override
    public void sgdStep(Tensor p, Tensor g, Tensor buf, SgdStep s) {
        if (defaults) { Backend.super.sgdStep(p, g, buf, s); return; }
        try (Call c = new Call("sgd")) { cpu().sgdStep(c.h(p), c.h(g), c.h(buf), s); }
    }

    @Override
    public void sumSquares(Tensor x, Tensor out) {
        if (defaults) { Backend.super.sumSquares(x, out); return; }
        try (Call c = new Call("sum_squares")) { cpu().sumSquares(c.h(x), c.h(out)); }
    }
}

package clipcl.tensor.cpu;

import clipcl.tensor.AdamStep;
import clipcl.tensor.DType;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Parallel;
import clipcl.tensor.SgdStep;
import clipcl.tensor.Tensor;

/**
 * The optimizer updates on host arrays: {@link UpdateKernels}' loops over the parameter's flat
 * elements, split over worker threads for large tensors (elementwise: the same result for any split).
 */
final class HostOptim {
    /** Tensors larger than this are updated by several worker threads. */
    static final int PARALLEL_MIN = 1 << 16;

    private HostOptim() { }

    private static boolean direct(Tensor t) { return t.isContiguous() && t.storage() instanceof HeapStorage; }

    private static void requireDirect(String op, Tensor t) {
        if (!direct(t)) throw new IllegalArgumentException(op + ": parameter and state must be contiguous host tensors, got " + t.dtype() + " " + t.shape());
    }

    private static float[] f32(Tensor t) { return ((HeapStorage) t.storage()).f32(); }

    private static double[] f64(Tensor t) { return ((HeapStorage) t.storage()).f64(); }

    private static void forElements(int n, Parallel.RangeBody body) {
        if (n >= PARALLEL_MIN) Parallel.forRange(n, PARALLEL_MIN / 2, body);
        else body.run(0, n);
    }

    static void adam(Tensor p, Tensor g, Tensor m, Tensor v, AdamStep c) {
        for (Tensor t : new Tensor[] {p, m, v}) requireDirect("adam", t);
        Tensor gc = Rows.dense(g, p.dtype());
        try {
            double wd = c.weightDecay(), lr = c.lr();
            double decayMul = c.decoupled() ? 1 - lr * wd : 1, l2 = c.decoupled() ? 0 : wd;
            double negStep = -lr / c.biasCorrection1(), b1 = c.beta1(), b2 = c.beta2();
            int po = p.offset(), go = gc.offset();
            if (p.dtype() == DType.F32) {
                var k = new UpdateKernels.AdamF((float) decayMul, (float) l2, (float) b1, (float) (1 - b1), (float) b2,
                        (float) (1 - b2), (float) Math.sqrt(c.biasCorrection2()), (float) c.eps(), (float) negStep);
                float[] pa = f32(p), ga = f32(gc), ma = f32(m), va = f32(v);
                if (m.offset() != 0 || v.offset() != 0) throw new IllegalArgumentException("adam: state tensors must start their storage");
                forElements(p.numel(), (a, b) -> UpdateKernels.adamF32(pa, po, ga, go, ma, va, a, b, k));
            } else {
                var k = new UpdateKernels.AdamD(decayMul, l2, b1, 1 - b1, b2, 1 - b2, Math.sqrt(c.biasCorrection2()), c.eps(), negStep);
                double[] pa = f64(p), ga = f64(gc), ma = f64(m), va = f64(v);
                if (m.offset() != 0 || v.offset() != 0) throw new IllegalArgumentException("adam: state tensors must start their storage");
                forElements(p.numel(), (a, b) -> UpdateKernels.adamF64(pa, po, ga, go, ma, va, a, b, k));
            }
        } finally {
            Rows.drop(gc, g);
        }
    }

    static void sgd(Tensor p, Tensor g, Tensor buf, SgdStep c) {
        requireDirect("sgd", p);
        if (buf != null) {
            requireDirect("sgd", buf);
            if (buf.offset() != 0) throw new IllegalArgumentException("sgd: the momentum buffer must start its storage");
        }
        Tensor gc = Rows.dense(g, p.dtype());
        try {
            int po = p.offset(), go = gc.offset();
            if (p.dtype() == DType.F32) {
                float[] pa = f32(p), ga = f32(gc), ba = buf == null ? null : f32(buf);
                forElements(p.numel(), (a, b) -> UpdateKernels.sgdF32(pa, po, ga, go, ba, c.first(), a, b,
                        (float) c.weightDecay(), (float) c.momentum(), (float) (1 - c.dampening()), c.nesterov(), (float) -c.lr()));
            } else {
                double[] pa = f64(p), ga = f64(gc), ba = buf == null ? null : f64(buf);
                forElements(p.numel(), (a, b) -> UpdateKernels.sgdF64(pa, po, ga, go, ba, c.first(), a, b,
                        c.weightDecay(), c.momentum(), 1 - c.dampening(), c.nesterov(), -c.lr()));
            }
        } finally {
            Rows.drop(gc, g);
        }
    }

    /** Sum of squares accumulated in double in element order (independent of threads). */
    static void sumSquares(Tensor x, Tensor out) {
        double s;
        if (direct(x) && x.dtype() == DType.F32) s = UpdateKernels.sumSquares(f32(x), x.offset(), x.offset() + x.numel());
        else if (direct(x) && x.dtype() == DType.F64) s = UpdateKernels.sumSquares(f64(x), x.offset(), x.offset() + x.numel());
        else {
            double[] a = x.toDoubleArray();
            s = UpdateKernels.sumSquares(a, 0, a.length);
        }
        out.setFlat(0, s);
    }
}

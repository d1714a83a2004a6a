package clipcl.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element loops of the optimizers over [from, to) of flat arrays: p and g start at their own
 * offsets (parameters and gradients are views into pooled storage), the state arrays at 0. The
 * float loops use the Vector API and have a scalar twin computing the same float operations in the
 * same order (no fused multiply-add), so both give bit-identical results; the order follows
 * PyTorch's single-tensor implementations. {@code clipcl.scalar=true} forces the scalar loops.
 */
public final class UpdateKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final boolean FORCE_SCALAR = Boolean.getBoolean("clipcl.scalar");

    private UpdateKernels() { }

    /** Adam/AdamW constants of one step, already in the float type the loop uses. */
    public record AdamF(float decayMul, float l2, float b1, float omb1, float b2, float omb2, float bc2sqrt, float eps, float negStep) { }

    /** Adam/AdamW constants of one step for double parameters. */
    public record AdamD(double decayMul, double l2, double b1, double omb1, double b2, double omb2, double bc2sqrt, double eps, double negStep) { }

    /**
     * p *= decayMul; g' = g + l2 * p_old; m = m*b1 + g'*(1-b1); v = v*b2 + (1-b2)*g'*g';
     * p += negStep * (m / (sqrt(v) / bc2sqrt + eps)).
     */
    public static void adamF32(float[] p, int po, float[] g, int go, float[] m, float[] v, int from, int to, AdamF c) {
        int i = from;
        if (!FORCE_SCALAR) {
            int bound = from + S.loopBound(to - from);
            for (; i < bound; i += S.length()) {
                FloatVector pv = FloatVector.fromArray(S, p, po + i);
                FloatVector gv = FloatVector.fromArray(S, g, go + i);
                if (c.l2() != 0f) gv = gv.add(pv.mul(c.l2()));
                pv = pv.mul(c.decayMul());
                FloatVector mv = FloatVector.fromArray(S, m, i).mul(c.b1()).add(gv.mul(c.omb1()));
                FloatVector vv = FloatVector.fromArray(S, v, i).mul(c.b2()).add(gv.mul(c.omb2()).mul(gv));
                FloatVector den = vv.sqrt().div(c.bc2sqrt()).add(c.eps());
                pv = pv.add(mv.div(den).mul(c.negStep()));
                mv.intoArray(m, i);
                vv.intoArray(v, i);
                pv.intoArray(p, po + i);
            }
        }
        adamF32Scalar(p, po, g, go, m, v, i, to, c);
    }

    /** The scalar reference of {@link #adamF32}. */
    public static void adamF32Scalar(float[] p, int po, float[] g, int go, float[] m, float[] v, int from, int to, AdamF c) {
        for (int i = from; i < to; i++) {
            float pi = p[po + i], gi = g[go + i];
            if (c.l2() != 0f) gi = gi + pi * c.l2();
            pi = pi * c.decayMul();
            float mi = m[i] * c.b1() + gi * c.omb1();
            float vi = v[i] * c.b2() + gi * c.omb2() * gi;
            float den = (float) Math.sqrt(vi) / c.bc2sqrt() + c.eps();
            m[i] = mi;
            v[i] = vi;
            p[po + i] = pi + mi / den * c.negStep();
        }
    }

    public static void adamF64(double[] p, int po, double[] g, int go, double[] m, double[] v, int from, int to, AdamD c) {
        for (int i = from; i < to; i++) {
            double pi = p[po + i], gi = g[go + i];
            if (c.l2() != 0) gi = gi + pi * c.l2();
            pi = pi * c.decayMul();
            double mi = m[i] * c.b1() + gi * c.omb1();
            double vi = v[i] * c.b2() + gi * c.omb2() * gi;
            double den = Math.sqrt(vi) / c.bc2sqrt() + c.eps();
            m[i] = mi;
            v[i] = vi;
            p[po + i] = pi + mi / den * c.negStep();
        }
    }

    /**
     * SGD: d = g + wd * p; with momentum buf = first ? d : buf*mu + (1-dampening)*d and
     * d = nesterov ? d + mu*buf : buf; p += -lr * d. buf may be null when mu == 0.
     */
    public static void sgdF32(float[] p, int po, float[] g, int go, float[] buf, boolean first, int from, int to,
                              float wd, float mu, float omDamp, boolean nesterov, float negLr) {
        int i = from;
        if (!FORCE_SCALAR) {
            int bound = from + S.loopBound(to - from);
            for (; i < bound; i += S.length()) {
                FloatVector pv = FloatVector.fromArray(S, p, po + i);
                FloatVector d = FloatVector.fromArray(S, g, go + i);
                if (wd != 0f) d = d.add(pv.mul(wd));
                if (buf != null) {
                    FloatVector b = first ? d : FloatVector.fromArray(S, buf, i).mul(mu).add(d.mul(omDamp));
                    b.intoArray(buf, i);
                    d = nesterov ? d.add(b.mul(mu)) : b;
                }
                pv.add(d.mul(negLr)).intoArray(p, po + i);
            }
        }
        sgdF32Scalar(p, po, g, go, buf, first, i, to, wd, mu, omDamp, nesterov, negLr);
    }

    /** The scalar reference of {@link #sgdF32}. */
    public static void sgdF32Scalar(float[] p, int po, float[] g, int go, float[] buf, boolean first, int from, int to,
                                    float wd, float mu, float omDamp, boolean nesterov, float negLr) {
        for (int i = from; i < to; i++) {
            float pi = p[po + i], d = g[go + i];
            if (wd != 0f) d = d + pi * wd;
            if (buf != null) {
                float b = first ? d : buf[i] * mu + d * omDamp;
                buf[i] = b;
                d = nesterov ? d + b * mu : b;
            }
            p[po + i] = pi + d * negLr;
        }
    }

    public static void sgdF64(double[] p, int po, double[] g, int go, double[] buf, boolean first, int from, int to,
                              double wd, double mu, double omDamp, boolean nesterov, double negLr) {
        for (int i = from; i < to; i++) {
            double pi = p[po + i], d = g[go + i];
            if (wd != 0) d = d + pi * wd;
            if (buf != null) {
                double b = first ? d : buf[i] * mu + d * omDamp;
                buf[i] = b;
                d = nesterov ? d + b * mu : b;
            }
            p[po + i] = pi + d * negLr;
        }
    }

    /** Sum of squares in double (for the global gradient norm); order fixed by the range. */
    public static double sumSquares(float[] a, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += (double) a[i] * a[i];
        return s;
    }

    public static double sumSquares(double[] a, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += a[i] * a[i];
        return s;
    }

    /** a[from..to) *= s. */
    public static void scale(float[] a, int from, int to, float s) {
        int i = from;
        if (!FORCE_SCALAR) {
            int bound = from + S.loopBound(to - from);
            for (; i < bound; i += S.length()) FloatVector.fromArray(S, a, i).mul(s).intoArray(a, i);
        }
        for (; i < to; i++) a[i] *= s;
    }
}

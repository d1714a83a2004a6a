package clipcl.autograd.nn;

import clipcl.autograd.Var;
import clipcl.tensor.DType;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Tensor;
import java.util.Map;
import java.util.TreeSet;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * In-place arithmetic over the parameters of models with the same names and shapes: weight
 * interpolation for IMM and WiSE-FT ({@code theta = (1 - alpha) * theta_a + alpha * theta_b}) and
 * copying. The target may be one of the sources.
 */
public final class ParamMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private ParamMath() { }

    /** target = (1 - alpha) * a + alpha * b, parameter by parameter. */
    public static void interpolate(Module target, Module a, Module b, double alpha) {
        interpolate(target.namedParameters(), a.namedParameters(), b.namedParameters(), alpha);
    }

    public static void interpolate(Map<String, Var> target, Map<String, Var> a, Map<String, Var> b, double alpha) {
        checkSame("interpolate", target, a);
        checkSame("interpolate", target, b);
        for (Map.Entry<String, Var> e : target.entrySet()) {
            String n = e.getKey();
            lerpInto(e.getValue().data(), a.get(n).data(), b.get(n).data(), alpha);
        }
    }

    /** target's parameters = src's parameters (values only; flags untouched). */
    public static void copy(Module target, Module src) {
        Map<String, Var> t = target.namedParameters(), s = src.namedParameters();
        checkSame("copy", t, s);
        t.forEach((n, v) -> v.data().copyFrom(s.get(n).data()));
    }

    private static void checkSame(String op, Map<String, Var> x, Map<String, Var> y) {
        TreeSet<String> onlyX = new TreeSet<>(x.keySet()), onlyY = new TreeSet<>(y.keySet());
        onlyX.removeAll(y.keySet());
        onlyY.removeAll(x.keySet());
        StringBuilder sb = new StringBuilder();
        if (!onlyX.isEmpty()) sb.append("\n  only in target: ").append(onlyX);
        if (!onlyY.isEmpty()) sb.append("\n  only in source: ").append(onlyY);
        for (Map.Entry<String, Var> e : x.entrySet()) {
            Var o = y.get(e.getKey());
            if (o != null && !o.data().shape().equals(e.getValue().data().shape())) {
                sb.append("\n  shape of ").append(e.getKey()).append(": ").append(e.getValue().data().shape()).append(" vs ").append(o.data().shape());
            }
        }
        if (!sb.isEmpty()) throw new IllegalArgumentException(op + ": models do not match:" + sb);
    }

    /** out = (1 - alpha) * a + alpha * b elementwise; out may alias a or b. */
    static void lerpInto(Tensor out, Tensor a, Tensor b, double alpha) {
        if (out.dtype() == DType.F32 && direct(out) && direct(a) && direct(b) && a.dtype() == DType.F32 && b.dtype() == DType.F32) {
            float[] o = f32(out), x = f32(a), y = f32(b);
            lerpF32(o, out.offset(), x, a.offset(), y, b.offset(), out.numel(), (float) (1 - alpha), (float) alpha);
        } else {
            // Generic path (F64, strided, other devices): tensor ops, then copy into place.
            Tensor r = a.mul(1 - alpha).add(b.mul(alpha));
            out.copyFrom(r);
        }
    }

    /** The vector loop; the scalar tail computes the same float operations. */
    static void lerpF32(float[] o, int oo, float[] x, int xo, float[] y, int yo, int n, float wa, float wb) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xo + i).mul(wa).add(FloatVector.fromArray(S, y, yo + i).mul(wb)).intoArray(o, oo + i);
        }
        for (; i < n; i++) o[oo + i] = x[xo + i] * wa + y[yo + i] * wb;
    }

    private static boolean direct(Tensor t) { return t.isContiguous() && t.storage() instanceof HeapStorage; }

    private static float[] f32(Tensor t) { return ((HeapStorage) t.storage()).f32(); }
}

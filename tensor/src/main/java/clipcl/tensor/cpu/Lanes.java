package clipcl.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane reductions with a fixed order. {@code reduceLanes(ADD)} leaves its order unspecified, and
 * the interpreter, C1 and C2 do sum the lanes differently, so the same row could round differently
 * before and after warm-up: enough to break bit-identical resumption of training in a new JVM.
 * A pairwise tree of lane-wise adds is exact IEEE arithmetic at every step, hence the same
 * everywhere.
 */
final class Lanes {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** SHIFT[k] moves lane i + 2^k to lane i (wrapping). */
    private static final VectorShuffle<Float>[] SHIFT = shifts();

    private Lanes() { }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] shifts() {
        int n = F.length(), levels = Integer.numberOfTrailingZeros(n);
        VectorShuffle<Float>[] s = new VectorShuffle[levels];
        for (int k = 0; k < levels; k++) s[k] = VectorShuffle.iota(F, 1 << k, 1, true);
        return s;
    }

    /** Sum of the lanes of v (of the preferred species), in a fixed pairwise order. */
    static float sum(FloatVector v) {
        for (int k = SHIFT.length - 1; k >= 0; k--) v = v.add(v.rearrange(SHIFT[k]));
        return v.lane(0);
    }

    /** The scalar reference of {@link #sum}: the same tree over an array of lanes. */
    static float sumReference(float[] lanes) {
        float[] v = lanes.clone();
        int n = v.length;
        for (int h = n / 2; h >= 1; h /= 2) {
            float[] next = new float[n];
            for (int i = 0; i < n; i++) next[i] = v[i] + v[(i + h) % n];
            v = next;
        }
        return v[0];
    }
}

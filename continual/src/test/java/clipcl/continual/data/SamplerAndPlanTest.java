package clipcl.continual.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import clipcl.continual.Fixtures;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplerAndPlanTest {
    @Test
    void samplerCoversThePoolEachEpochAndIsAFunctionOfTheStep() {
        int[] pool = IntStream.range(100, 130).toArray();
        EpochSampler a = new EpochSampler(pool, 7, 5);
        assertEquals(4, a.stepsPerEpoch()); // 30 / 7, the last 2 items of an epoch dropped
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] seen = new int[0];
            for (int s = 0; s < 4; s++) seen = concat(seen, a.batch(epoch * 4L + s));
            assertEquals(28, Arrays.stream(seen).distinct().count());
            for (int x : seen) assertFalse(x < 100 || x >= 130);
        }
        assertFalse(Arrays.equals(a.batch(0), a.batch(4)), "each epoch has its own order");
        // a fresh sampler asked for step 9 (a resumed run) draws exactly what the first one drew
        EpochSampler b = new EpochSampler(pool, 7, 5);
        assertArrayEquals(a.batch(9), b.batch(9));
        assertArrayEquals(a.batch(2), b.batch(2));
        assertFalse(Arrays.equals(a.batch(2), new EpochSampler(pool, 7, 6).batch(2)), "the seed matters");
        assertThrows(IllegalArgumentException.class, () -> new EpochSampler(new int[3], 4, 1));
    }

    @Test
    void ostMstStreamAndJointPlans() {
        LabeledImages train = Fixtures.images("t", List.of("a", "b", "c", "d", "e"), 4, 1); // 20 items, label = i % 5
        SessionPlan ost = SessionPlan.ost(train);
        assertEquals(1, ost.sessions().size());
        assertEquals(20, ost.sessions().get(0).items().length);

        SessionPlan mst = SessionPlan.mst(train, new int[] {4, 0, 2, 1, 3}, 2);
        assertEquals(3, mst.sessions().size());
        assertArrayEquals(new int[] {0, 4}, mst.sessions().get(0).classes());
        assertArrayEquals(new int[] {1, 2}, mst.sessions().get(1).classes());
        assertArrayEquals(new int[] {3}, mst.sessions().get(2).classes());
        for (Session s : mst.sessions()) for (int i : s.items()) assertEquals(true, Arrays.binarySearch(s.classes(), train.labels()[i]) >= 0);
        assertArrayEquals(new int[] {0, 1, 2, 4}, mst.seenClasses(1));
        assertEquals(3, mst.tasks().size());
        assertThrows(IllegalArgumentException.class, () -> SessionPlan.byClasses("mst", train, List.of(new int[] {0, 1}, new int[] {1})));

        SessionPlan stream = SessionPlan.stream(train, 3, 9);
        assertEquals(List.of(7, 7, 6), stream.sessions().stream().map(s -> s.items().length).toList());
        int[] all = stream.sessions().stream().flatMapToInt(s -> Arrays.stream(s.items())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 20).toArray(), all); // a partition of the items
        assertEquals(1, stream.tasks().size());
        assertArrayEquals(SessionPlan.stream(train, 3, 9).sessions().get(1).items(), stream.sessions().get(1).items());
        assertFalse(Arrays.equals(SessionPlan.stream(train, 3, 10).sessions().get(1).items(), stream.sessions().get(1).items()));

        SessionPlan joint = mst.joint();
        assertEquals(1, joint.sessions().size());
        assertEquals(20, joint.sessions().get(0).items().length);
        assertEquals(3, joint.tasks().size(), "joint keeps the plan's tasks");
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}

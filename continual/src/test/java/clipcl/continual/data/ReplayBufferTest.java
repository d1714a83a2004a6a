package clipcl.continual.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.io.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayBufferTest {
    @Test
    void reservoirKeepsEachItemWithProbabilityCapacityOverSeen() {
        // 2,000 runs of 100 offers into 10 slots: each item kept about 10% of the time
        int[] kept = new int[100];
        for (int run = 0; run < 2000; run++) {
            ReservoirBuffer b = new ReservoirBuffer(10, run);
            for (int i = 0; i < 100; i++) b.offer(i, i % 10, null);
            assertEquals(10, b.size());
            for (ReplayBuffer.Entry e : b.entries()) kept[e.item()]++;
        }
        for (int i = 0; i < 100; i++) assertTrue(kept[i] > 120 && kept[i] < 290, "item " + i + " kept " + kept[i] + " times of 2000, expected about 200");
    }

    @Test
    void classBalancedKeepsClassesEven() {
        ClassBalancedBuffer b = new ClassBalancedBuffer(12, 3);
        for (int i = 0; i < 100; i++) b.offer(i, 0, null);      // first one class fills everything
        for (int i = 100; i < 160; i++) b.offer(i, 1, null);
        for (int i = 160; i < 200; i++) b.offer(i, 2, null);
        assertEquals(12, b.size());
        assertEquals(Map.of(0, 4, 1, 4, 2, 4), b.counts());
    }

    @Test
    void stateRoundTripsThroughJsonAndContinuesIdentically() {
        for (ReplayBuffer a : List.of(new ReservoirBuffer(5, 1), new ClassBalancedBuffer(5, 1))) {
            for (int i = 0; i < 20; i++) a.offer(i, i % 3, i % 2 == 0 ? new float[] {i, -i} : null);
            ReplayBuffer b = a instanceof ReservoirBuffer ? new ReservoirBuffer(5, 99) : new ClassBalancedBuffer(5, 99);
            @SuppressWarnings("unchecked")
            Map<String, Object> j = (Map<String, Object>) Json.parse(Json.write(a.toJson()));
            b.load(j);
            for (int i = 20; i < 40; i++) {
                a.offer(i, i % 3, null);
                b.offer(i, i % 3, null);
            }
            assertEquals(a.entries().stream().map(ReplayBuffer.Entry::item).toList(), b.entries().stream().map(ReplayBuffer.Entry::item).toList());
            assertEquals(a.sample(7).stream().map(ReplayBuffer.Entry::item).toList(), b.sample(7).stream().map(ReplayBuffer.Entry::item).toList());
            for (int k = 0; k < a.size(); k++) {
                float[] x = a.entries().get(k).stored(), y = b.entries().get(k).stored();
                if (x == null) assertEquals(null, y); else assertArrayEquals(x, y);
            }
        }
    }
}

package clipcl.continual.data;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Class-balanced memory: when full, a new item of a class that holds less than its share replaces a
 * random entry of the largest class (ties: the lowest label), so every class seen keeps about
 * capacity / classes entries; an item of a class already at the largest size is kept by reservoir
 * sampling within its class.
 */
public final class ClassBalancedBuffer extends ReplayBuffer {
    private final TreeMap<Integer, Long> seenPerClass = new TreeMap<>();

    public ClassBalancedBuffer(int capacity, long seed) { super(capacity, seed); }

    @Override
    public String policy() { return "class_balanced"; }

    @Override
    public void offer(int item, int label, float[] stored) {
        long seen = seenPerClass.merge(label, 1L, Long::sum);
        Entry e = new Entry(item, label, stored == null ? null : stored.clone());
        if (entries.size() < capacity) {
            entries.add(e);
            return;
        }
        TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < entries.size(); i++) byClass.computeIfAbsent(entries.get(i).label(), k -> new ArrayList<>()).add(i);
        int largest = -1, largestSize = -1;
        for (var c : byClass.entrySet()) if (c.getValue().size() > largestSize) { largest = c.getKey(); largestSize = c.getValue().size(); }
        List<Integer> own = byClass.getOrDefault(label, List.of());
        if (own.size() < largestSize) {
            List<Integer> victims = byClass.get(largest);
            entries.set(victims.get(rng.nextInt(victims.size())), e);
        } else {
            long j = (long) (rng.nextDouble() * seen);
            if (j < own.size()) entries.set(own.get((int) j), e);
        }
    }

    /** Entries per label. */
    public TreeMap<Integer, Integer> counts() {
        TreeMap<Integer, Integer> m = new TreeMap<>();
        for (Entry e : entries) m.merge(e.label(), 1, Integer::sum);
        return m;
    }

    @Override
    protected Object extraJson() {
        List<Object> l = new ArrayList<>();
        seenPerClass.forEach((k, v) -> l.add(List.of(k, v)));
        return l;
    }

    @Override
    protected void loadExtra(Object extra) {
        seenPerClass.clear();
        for (Object o : (List<?>) extra) {
            List<?> p = (List<?>) o;
            seenPerClass.put(((Number) p.get(0)).intValue(), ((Number) p.get(1)).longValue());
        }
    }
}

package clipcl.continual.data;

import clipcl.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A size-bounded memory of past training items (DER, ER, Mod-X's buffer): each entry keeps the item's
 * index, its label and optionally what the model produced for it then (logits or features, for
 * distillation on replay). The policy decides what is kept when full. Its state is plain JSON, so a
 * checkpoint holds it and a resumed run continues with the same memory and the same random draws.
 */
public abstract sealed class ReplayBuffer permits ReservoirBuffer, ClassBalancedBuffer {
    /** One remembered item; stored may be null. */
    public record Entry(int item, int label, float[] stored) { }

    protected final int capacity;
    protected final List<Entry> entries = new ArrayList<>();
    protected Rng rng;

    protected ReplayBuffer(int capacity, long seed) {
        if (capacity <= 0) throw new IllegalArgumentException("replay buffer: capacity must be positive, got " + capacity);
        this.capacity = capacity;
        this.rng = new Rng(seed);
    }

    /** Offers one item seen in training; the policy keeps it or not. */
    public abstract void offer(int item, int label, float[] stored);

    public abstract String policy();

    public int capacity() { return capacity; }

    public int size() { return entries.size(); }

    public List<Entry> entries() { return List.copyOf(entries); }

    /** n entries drawn uniformly with replacement (empty when the buffer is). */
    public List<Entry> sample(int n) {
        List<Entry> out = new ArrayList<>(n);
        if (entries.isEmpty()) return out;
        for (int i = 0; i < n; i++) out.add(entries.get(rng.nextInt(entries.size())));
        return out;
    }

    /** State as JSON-compatible values. */
    public Map<String, Object> toJson() {
        List<Object> es = new ArrayList<>();
        for (Entry e : entries) {
            List<Object> stored = null;
            if (e.stored() != null) {
                stored = new ArrayList<>();
                for (float f : e.stored()) stored.add((double) f);
            }
            es.add(java.util.Arrays.asList(e.item(), e.label(), stored));
        }
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("policy", policy());
        m.put("capacity", capacity);
        m.put("rng", List.of(rng.seed(), rng.counter()));
        m.put("extra", extraJson());
        m.put("entries", es);
        return m;
    }

    /** Replaces this buffer's state with a saved one of the same policy and capacity. */
    public void load(Map<String, Object> json) {
        if (!policy().equals(json.get("policy")) || ((Number) json.get("capacity")).intValue() != capacity) {
            throw new IllegalArgumentException("replay buffer state is " + json.get("policy") + "/" + json.get("capacity") + ", this buffer " + policy() + "/" + capacity);
        }
        List<?> r = (List<?>) json.get("rng");
        rng = new Rng(((Number) r.get(0)).longValue(), ((Number) r.get(1)).longValue());
        entries.clear();
        for (Object o : (List<?>) json.get("entries")) {
            List<?> e = (List<?>) o;
            float[] stored = null;
            if (e.get(2) instanceof List<?> s) {
                stored = new float[s.size()];
                for (int i = 0; i < stored.length; i++) stored[i] = ((Number) s.get(i)).floatValue();
            }
            entries.add(new Entry(((Number) e.get(0)).intValue(), ((Number) e.get(1)).intValue(), stored));
        }
        loadExtra(json.get("extra"));
    }

    protected Object extraJson() { return null; }

    protected void loadExtra(Object extra) { }
}

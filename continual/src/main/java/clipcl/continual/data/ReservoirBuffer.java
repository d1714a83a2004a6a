package clipcl.continual.data;

/**
 * Reservoir sampling (Vitter's algorithm R): after n offers every offered item is in the buffer with
 * probability capacity / n, whatever the order of the stream.
 */
public final class ReservoirBuffer extends ReplayBuffer {
    private long seen;

    public ReservoirBuffer(int capacity, long seed) { super(capacity, seed); }

    @Override
    public String policy() { return "reservoir"; }

    public long seen() { return seen; }

    @Override
    public void offer(int item, int label, float[] stored) {
        seen++;
        Entry e = new Entry(item, label, stored == null ? null : stored.clone());
        if (entries.size() < capacity) {
            entries.add(e);
            return;
        }
        long j = (long) (rng.nextDouble() * seen);
        if (j < capacity) entries.set((int) j, e);
    }

    @Override
    protected Object extraJson() { return seen; }

    @Override
    protected void loadExtra(Object extra) { seen = ((Number) extra).longValue(); }
}

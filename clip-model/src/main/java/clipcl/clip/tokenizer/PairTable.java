package clipcl.clip.tokenizer;

/**
 * Open-addressing hash map from a pair of symbol ids to (merge rank, merged symbol id): the BPE inner
 * loop looks up every adjacent pair, so this avoids boxing and object keys.
 */
final class PairTable {
    private final long[] keys;
    private final int[] ranks;
    private final int[] merged;
    private final int mask;
    private int size;

    PairTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        ranks = new int[cap];
        merged = new int[cap];
        java.util.Arrays.fill(keys, -1L);
        mask = cap - 1;
    }

    private static long key(int a, int b) { return ((long) a << 32) | (b & 0xFFFFFFFFL); }

    private int slot(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        int i = (int) (h >>> 40) & mask;
        while (keys[i] != -1L && keys[i] != k) i = (i + 1) & mask;
        return i;
    }

    /** Later puts of the same pair replace earlier ones, as Python's dict(zip(merges, ranks)) does. */
    void put(int a, int b, int rank, int mergedId) {
        long k = key(a, b);
        int i = slot(k);
        if (keys[i] == -1L) {
            if (++size * 2 > keys.length) throw new IllegalStateException("PairTable sized for fewer merges");
            keys[i] = k;
        }
        ranks[i] = rank;
        merged[i] = mergedId;
    }

    /** Index of the pair's entry, or -1 when the pair is no merge. */
    int find(int a, int b) {
        int i = slot(key(a, b));
        return keys[i] == -1L ? -1 : i;
    }

    int rank(int entry) { return ranks[entry]; }

    int merged(int entry) { return merged[entry]; }

    int size() { return size; }
}

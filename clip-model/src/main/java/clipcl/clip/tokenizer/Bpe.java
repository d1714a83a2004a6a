package clipcl.clip.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The BPE merge loop of simple_tokenizer.py on symbol ids: start from the word's bytes (the last one
 * carrying {@code </w>}), repeatedly take the adjacent pair with the lowest merge rank and merge every
 * non-overlapping occurrence of it left to right, until no adjacent pair is a merge. Results are cached
 * per piece, as OpenAI's are (the cache is cleared when it grows past a bound).
 */
final class Bpe {
    private static final int CACHE_LIMIT = 200_000;

    private final BpeVocab vocab;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    Bpe(BpeVocab vocab) { this.vocab = vocab; }

    /** Ids of one piece of the split pattern. */
    int[] encodePiece(String piece) {
        if (piece.equals(Pretokenizer.SOT)) return new int[] {vocab.sot};
        if (piece.equals(Pretokenizer.EOT)) return new int[] {vocab.eot};
        int[] hit = cache.get(piece);
        if (hit != null) return hit;
        int[] ids = merge(piece.getBytes(StandardCharsets.UTF_8));
        if (cache.size() >= CACHE_LIMIT) cache.clear();
        cache.put(piece, ids);
        return ids;
    }

    private int[] merge(byte[] bytes) {
        int n = bytes.length;
        int[] word = new int[n];
        for (int i = 0; i < n - 1; i++) word[i] = vocab.byteId[bytes[i] & 0xFF];
        word[n - 1] = vocab.byteEndId[bytes[n - 1] & 0xFF];
        PairTable pairs = vocab.pairs;
        while (n > 1) {
            int bestPos = -1, bestRank = Integer.MAX_VALUE, merged = 0;
            for (int i = 0; i < n - 1; i++) {
                int e = pairs.find(word[i], word[i + 1]);
                if (e >= 0 && pairs.rank(e) < bestRank) { bestRank = pairs.rank(e); bestPos = i; merged = pairs.merged(e); }
            }
            if (bestPos < 0) break;
            int first = word[bestPos], second = word[bestPos + 1];
            int w = 0;
            for (int i = 0; i < n; ) {
                if (i < n - 1 && word[i] == first && word[i + 1] == second) { word[w++] = merged; i += 2; }
                else word[w++] = word[i++];
            }
            n = w;
        }
        return Arrays.copyOf(word, n);
    }
}

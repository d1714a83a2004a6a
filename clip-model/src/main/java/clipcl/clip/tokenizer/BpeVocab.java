package clipcl.clip.tokenizer;

import clipcl.tensor.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CLIP BPE vocabulary: token strings and their ids, and the ranked merges as a pair table. Read from
 * OpenAI's {@code bpe_simple_vocab_16e6.txt.gz} (ids built the way simple_tokenizer.py builds them) or
 * from Hugging Face's {@code vocab.json} + {@code merges.txt}; both give the same ids for OpenAI's files.
 */
public final class BpeVocab {
    /** OpenAI and Hugging Face both keep merges[1 : 49152-256-2+1] of the file's lines. */
    static final int MERGES = 49152 - 256 - 2;

    private final String[] tokens;
    private final Map<String, Integer> ids;
    final PairTable pairs;
    /** Symbol id of each byte inside a word, and of each byte ending a word (with {@code </w>}). */
    final int[] byteId = new int[256];
    final int[] byteEndId = new int[256];
    final int sot;
    final int eot;
    private final String source;

    private BpeVocab(String[] tokens, Map<String, Integer> ids, List<String[]> merges, String source) {
        this.tokens = tokens;
        this.ids = ids;
        this.source = source;
        for (int b = 0; b < 256; b++) {
            String c = String.valueOf(ByteLevel.BYTE_TO_CHAR[b]);
            byteId[b] = require(c);
            byteEndId[b] = require(c + "</w>");
        }
        sot = require(Pretokenizer.SOT);
        eot = require(Pretokenizer.EOT);
        pairs = new PairTable(merges.size());
        for (int r = 0; r < merges.size(); r++) {
            String[] m = merges.get(r);
            Integer a = ids.get(m[0]), b = ids.get(m[1]);
            // a merge of a symbol that no word can hold can never apply: leaving it out changes nothing
            if (a == null || b == null) continue;
            Integer merged = ids.get(m[0] + m[1]);
            if (merged == null) {
                throw new IllegalArgumentException(source + ": merge " + (r + 1) + " '" + m[0] + " " + m[1]
                    + "' makes '" + m[0] + m[1] + "', which the vocabulary lacks");
            }
            pairs.put(a, b, r, merged);
        }
    }

    private int require(String token) {
        Integer id = ids.get(token);
        if (id == null) throw new IllegalArgumentException(source + ": the vocabulary lacks the token '" + token + "'");
        return id;
    }

    /**
     * Loads a vocabulary: a {@code .gz} (OpenAI's file), a {@code vocab.json} with {@code merges.txt}
     * beside it, or a folder holding either.
     */
    public static BpeVocab load(Path path) {
        if (Files.isDirectory(path)) {
            Path gz = path.resolve("bpe_simple_vocab_16e6.txt.gz"), vj = path.resolve("vocab.json");
            if (Files.isRegularFile(gz)) return openAi(gz);
            if (Files.isRegularFile(vj)) return huggingFace(vj, path.resolve("merges.txt"));
            throw new IllegalArgumentException(path + ": folder holds neither bpe_simple_vocab_16e6.txt.gz nor vocab.json + merges.txt");
        }
        if (!Files.exists(path)) throw new IllegalArgumentException(path + ": vocabulary file not found");
        String name = path.getFileName().toString();
        if (name.endsWith(".json")) return huggingFace(path, path.resolveSibling("merges.txt"));
        return openAi(path);
    }

    /** OpenAI's merges file (gzip or plain text): the vocabulary is built from it. */
    public static BpeVocab openAi(Path path) {
        List<String[]> merges = VocabFiles.mergeLines(path, MERGES, false);
        List<String> vocab = new ArrayList<>(512 + merges.size() + 2);
        for (int b : ByteLevel.VOCAB_ORDER) vocab.add(String.valueOf(ByteLevel.BYTE_TO_CHAR[b]));
        for (int b : ByteLevel.VOCAB_ORDER) vocab.add(ByteLevel.BYTE_TO_CHAR[b] + "</w>");
        for (String[] m : merges) vocab.add(m[0] + m[1]);
        vocab.add(Pretokenizer.SOT);
        vocab.add(Pretokenizer.EOT);
        Map<String, Integer> ids = new HashMap<>(vocab.size() * 2);
        for (int i = 0; i < vocab.size(); i++) ids.put(vocab.get(i), i); // later duplicates win, as in dict(zip())
        return new BpeVocab(vocab.toArray(String[]::new), ids, merges, path.toString());
    }

    /** Hugging Face's CLIPTokenizer files: ids from vocab.json, ranks from merges.txt. */
    @SuppressWarnings("unchecked")
    public static BpeVocab huggingFace(Path vocabJson, Path mergesTxt) {
        if (!Files.exists(vocabJson)) throw new IllegalArgumentException(vocabJson + ": vocab.json not found");
        if (!Files.exists(mergesTxt)) throw new IllegalArgumentException(mergesTxt + ": merges.txt not found (it must sit beside vocab.json, or be given)");
        Object parsed;
        try {
            parsed = Json.parse(VocabFiles.readText(vocabJson));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(vocabJson + ": " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map)) throw new IllegalArgumentException(vocabJson + ": expected a JSON object of token -> id");
        Map<String, Object> m = (Map<String, Object>) parsed;
        Map<String, Integer> ids = new HashMap<>(m.size() * 2);
        int max = -1;
        for (var e : m.entrySet()) {
            if (!(e.getValue() instanceof Long v) || v < 0 || v > 10_000_000) {
                throw new IllegalArgumentException(vocabJson + ": token '" + e.getKey() + "' has no valid id: " + e.getValue());
            }
            ids.put(e.getKey(), v.intValue());
            max = Math.max(max, v.intValue());
        }
        String[] tokens = new String[max + 1];
        for (var e : ids.entrySet()) tokens[e.getValue()] = e.getKey();
        return new BpeVocab(tokens, ids, VocabFiles.mergeLines(mergesTxt, MERGES, true), vocabJson + " + " + mergesTxt);
    }

    /** Number of ids (49408 for CLIP). */
    public int size() { return tokens.length; }

    /** The token string of an id (byte-level characters, {@code </w>} ending a word), or null. */
    public String token(int id) { return id >= 0 && id < tokens.length ? tokens[id] : null; }

    /** The id of a token string, or -1. */
    public int id(String token) { return ids.getOrDefault(token, -1); }

    public int sotToken() { return sot; }

    public int eotToken() { return eot; }

    public int mergeCount() { return pairs.size(); }

    /** Where it was read from, for messages. */
    public String source() { return source; }
}

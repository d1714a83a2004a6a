package clipcl.clip.tokenizer;

import clipcl.tensor.io.BadInputException;
import clipcl.tensor.io.InputLimits;
import clipcl.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * OpenAI CLIP's tokenizer ({@code clip.simple_tokenizer.SimpleTokenizer} and {@code clip.tokenize}):
 * text cleaning, the split pattern, byte-level BPE, then start/end tokens and zero padding to the
 * context length. Thread-safe.
 *
 * <pre>{@code
 * ClipTokenizer tok = ClipTokenizer.load(Path.of("bpe_simple_vocab_16e6.txt.gz"));
 * int[][] ids = tok.tokenize(List.of("a photo of a cat."), 77, true); // [1][77], 49406 ... 49407 0 0 ...
 * }</pre>
 */
public final class ClipTokenizer {
    public static final int DEFAULT_CONTEXT_LENGTH = 77;

    private final BpeVocab vocab;
    private final Bpe bpe;

    public ClipTokenizer(BpeVocab vocab) {
        this.vocab = vocab;
        this.bpe = new Bpe(vocab);
    }

    /** See {@link BpeVocab#load}: OpenAI's .txt.gz, a vocab.json with merges.txt beside it, or a folder. */
    public static ClipTokenizer load(Path vocabulary) {
        return new ClipTokenizer(BpeVocab.load(vocabulary));
    }

    /** Hugging Face's vocab.json and merges.txt. */
    public static ClipTokenizer load(Path vocabJson, Path mergesTxt) {
        return new ClipTokenizer(BpeVocab.huggingFace(vocabJson, mergesTxt));
    }

    public BpeVocab vocab() { return vocab; }

    public int sotToken() { return vocab.sot; }

    public int eotToken() { return vocab.eot; }

    /** {@code SimpleTokenizer.encode}: the BPE ids of the cleaned text, without start/end tokens. */
    public int[] encode(String text) {
        if (text.length() > InputLimits.TEXT_MAX_LINE_CHARS) {
            throw new BadInputException("text '" + text.substring(0, 40).replace('\n', ' ') + "...'", null,
                    text.length() + " characters, more than the limit of " + InputLimits.TEXT_MAX_LINE_CHARS);
        }
        String cleaned = TextCleaner.clean(text);
        int[] out = new int[Math.max(8, cleaned.length())];
        int n = 0;
        for (String piece : Pretokenizer.split(cleaned)) {
            int[] ids = bpe.encodePiece(piece);
            if (n + ids.length > out.length) out = java.util.Arrays.copyOf(out, Math.max(out.length * 2, n + ids.length));
            System.arraycopy(ids, 0, out, n, ids.length);
            n += ids.length;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * {@code clip.tokenize(text, contextLength, truncate)} for one text: start token, ids, end token,
     * zeros. Too long with truncate: the first contextLength tokens with the last replaced by the end
     * token; without: a {@link TextTooLongException}.
     */
    public int[] tokenize(String text, int contextLength, boolean truncate) {
        if (contextLength < 2) throw new IllegalArgumentException("context length must be at least 2, got " + contextLength);
        int[] ids = encode(text);
        int[] row = new int[contextLength];
        int total = ids.length + 2;
        if (total > contextLength && !truncate) throw new TextTooLongException(text, total, contextLength);
        row[0] = vocab.sot;
        int body = Math.min(ids.length, contextLength - 1);
        System.arraycopy(ids, 0, row, 1, body);
        if (total <= contextLength) row[ids.length + 1] = vocab.eot;
        else row[contextLength - 1] = vocab.eot;
        return row;
    }

    /** {@link #tokenize(String, int, boolean)} for each text: [texts.size()][contextLength]. */
    public int[][] tokenize(List<String> texts, int contextLength, boolean truncate) {
        int[][] out = new int[texts.size()][];
        for (int i = 0; i < out.length; i++) out[i] = tokenize(texts.get(i), contextLength, truncate);
        return out;
    }

    /** The same as an int32 tensor [texts.size(), contextLength]. */
    public Tensor tokenizeTensor(List<String> texts, int contextLength, boolean truncate) {
        int[][] rows = tokenize(texts, contextLength, truncate);
        int[] flat = new int[rows.length * contextLength];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * contextLength, contextLength);
        return Tensor.of(flat, rows.length, contextLength);
    }

    /**
     * {@code SimpleTokenizer.decode}: tokens joined, byte-level characters back to bytes, UTF-8 decoded
     * with replacement characters, each {@code </w>} replaced by a space. Unknown ids are an error.
     */
    public String decode(int[] ids) {
        StringBuilder chars = new StringBuilder();
        for (int id : ids) {
            String t = vocab.token(id);
            if (t == null) throw new IllegalArgumentException("decode: id " + id + " is outside the vocabulary of " + vocab.size());
            chars.append(t);
        }
        byte[] bytes = new byte[chars.length()];
        for (int i = 0; i < bytes.length; i++) {
            int b = ByteLevel.byteOf(chars.charAt(i));
            if (b < 0) throw new IllegalArgumentException("decode: token character U+" + Integer.toHexString(chars.charAt(i)) + " stands for no byte");
            bytes[i] = (byte) b;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
            return text.replace("</w>", " ");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException(e); // cannot happen with REPLACE
        }
    }
}

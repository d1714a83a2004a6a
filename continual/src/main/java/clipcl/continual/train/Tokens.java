package clipcl.continual.train;

import clipcl.clip.demo.WordTokenizer;
import clipcl.clip.tokenizer.ClipTokenizer;
import java.util.List;

/**
 * What the engine needs of a tokenizer: texts to fixed-length id rows, the start and end tokens and
 * the vocabulary size. The embedded benchmark uses its word tokenizer; user data (COCO, ImageNet-like
 * folders) OpenAI's byte-level BPE, whose vocabulary a released CLIP was trained with.
 */
public interface Tokens {
    /** [texts.size() * contextLength()] row-major ids, each row [SOT, ..., EOT, 0, ...]. */
    int[] encodeAll(List<String> texts);

    int contextLength();

    int sot();

    int eot();

    int vocabSize();

    /** The embedded benchmark's word tokenizer. */
    static Tokens of(WordTokenizer w) {
        return new Tokens() {
            @Override public int[] encodeAll(List<String> texts) { return w.encodeAll(texts); }
            @Override public int contextLength() { return w.contextLength(); }
            @Override public int sot() { return w.sot(); }
            @Override public int eot() { return w.eot(); }
            @Override public int vocabSize() { return w.vocabSize(); }
        };
    }

    /**
     * OpenAI's BPE at the model's context length; a text longer than the context is an error naming
     * it (not silently truncated, so a prompt template that does not fit is noticed).
     */
    static Tokens of(ClipTokenizer t, int contextLength) {
        return of(t, contextLength, false);
    }

    /**
     * OpenAI's BPE at the model's context length; truncate: a longer text is cut to the context with
     * EOT last (as the retrieval command and open_clip do with data sets' captions), else an error naming it.
     */
    static Tokens of(ClipTokenizer t, int contextLength, boolean truncate) {
        return new Tokens() {
            @Override
            public int[] encodeAll(List<String> texts) {
                int[][] rows = t.tokenize(texts, contextLength, truncate);
                int[] out = new int[texts.size() * contextLength];
                for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, out, i * contextLength, contextLength);
                return out;
            }
            @Override public int contextLength() { return contextLength; }
            @Override public int sot() { return t.sotToken(); }
            @Override public int eot() { return t.eotToken(); }
            @Override public int vocabSize() { return t.vocab().size(); }
        };
    }
}

package clipcl.continual.loss;

import clipcl.clip.demo.WordTokenizer;
import clipcl.continual.train.Tokens;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;

/**
 * Paper A's Algorithm 1: pseudo-classes made of tokens drawn uniformly from the vocabulary. Each row is
 * {@code [SOT, w_1, ..., w_{M-2}, EOT, 0, ...]}: M tokens with position 0 the start token and position
 * M-1 the end token, zero-padded to the context, as the authors' code builds them (ids uniform over the
 * word ids, i.e. every id below the start token; the end token is the highest id, so the text tower
 * pools there). Token 0 (padding) and 1 (unknown) are words of the vocabulary too, as in the authors'
 * draw over [0, 49405).
 */
public final class PseudoSentences {
    private PseudoSentences() { }

    /** ids I32 [count, context]. */
    public static Tensor draw(WordTokenizer tok, int count, int length, Rng rng) { return draw(Tokens.of(tok), count, length, rng); }

    /** ids I32 [count, context] for any tokenizer (OpenAI's BPE: ids uniform below SOT = 49406). */
    public static Tensor draw(Tokens tok, int count, int length, Rng rng) {
        int ctx = tok.contextLength();
        if (length < 2 || length > ctx) {
            throw new IllegalArgumentException("pseudo-sentence length M = " + length + " must be in [2, " + ctx + "] (the context length)");
        }
        if (count <= 0) throw new IllegalArgumentException("pseudo-sentence count must be positive, got " + count);
        int[] ids = new int[count * ctx];
        for (int i = 0; i < count; i++) {
            ids[i * ctx] = tok.sot();
            for (int j = 1; j < length - 1; j++) ids[i * ctx + j] = rng.nextInt(tok.sot());
            ids[i * ctx + length - 1] = tok.eot();
        }
        return Tensor.of(ids, count, ctx);
    }
}

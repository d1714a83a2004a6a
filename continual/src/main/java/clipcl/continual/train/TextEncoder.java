package clipcl.continual.train;

import clipcl.clip.demo.WordTokenizer;
import clipcl.tensor.Tensor;
import java.util.List;

/** Texts to the token ids a CLIP model takes: I32 [n, context]. */
public record TextEncoder(Tokens tokenizer) {
    /** The embedded benchmark's word tokenizer. */
    public TextEncoder(WordTokenizer w) { this(Tokens.of(w)); }

    public Tensor ids(List<String> texts) { return Tensor.of(tokenizer.encodeAll(texts), texts.size(), tokenizer.contextLength()); }

    /** The ids [N, context] on device. */
    public Tensor ids(List<String> texts, clipcl.tensor.Device device) { return Placement.onDevice(ids(texts), device); }
}

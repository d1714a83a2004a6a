package clipcl.clip.config;

/**
 * The text tower, with open_clip's field names.
 *
 * @param contextLength tokens per text (77 for OpenAI's models)
 * @param vocabSize     token embedding rows (49408 for OpenAI's BPE)
 */
public record TextConfig(int contextLength, int vocabSize, int width, int heads, int layers) {
    public TextConfig {
        if (contextLength <= 0 || vocabSize <= 0 || width <= 0 || heads <= 0 || layers < 0) {
            throw new IllegalArgumentException("text_cfg: sizes must be positive: " + this);
        }
        if (width % heads != 0) throw new IllegalArgumentException("text_cfg: width " + width + " is not a multiple of heads " + heads);
    }
}

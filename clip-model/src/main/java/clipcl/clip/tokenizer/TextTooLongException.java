package clipcl.clip.tokenizer;

/** A text whose tokens (with start and end) do not fit the context length, and truncation was off. */
public final class TextTooLongException extends IllegalArgumentException {
    private final int tokens;

    public TextTooLongException(String text, int tokens, int contextLength) {
        super("text '" + prefix(text) + "' is too long for context length " + contextLength + ": " + tokens
            + " tokens with start and end (use truncate)");
        this.tokens = tokens;
    }

    private static String prefix(String text) {
        String oneLine = text.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 60) + "...";
    }

    /** Tokens the text needs, start and end included. */
    public int tokens() { return tokens; }
}

package clipcl.clip.tokenizer;

/**
 * GPT-2/CLIP's reversible map between bytes and printable characters ({@code bytes_to_unicode}): the
 * 188 printable Latin-1 bytes map to themselves, the other 68 to U+0100.. in byte order, so BPE can
 * work on strings with no whitespace or control characters in them.
 */
final class ByteLevel {
    /** Byte value (0..255) to its character. */
    static final char[] BYTE_TO_CHAR = new char[256];
    /** Bytes in the order OpenAI's vocabulary lists them: the printable ones first, then the rest. */
    static final int[] VOCAB_ORDER = new int[256];
    private static final int[] CHAR_TO_BYTE = new int[0x200];

    static {
        int k = 0;
        for (int b = 0; b < 256; b++) {
            if (printable(b)) { BYTE_TO_CHAR[b] = (char) b; VOCAB_ORDER[k++] = b; }
        }
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (!printable(b)) { BYTE_TO_CHAR[b] = (char) (256 + n++); VOCAB_ORDER[k++] = b; }
        }
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        for (int b = 0; b < 256; b++) CHAR_TO_BYTE[BYTE_TO_CHAR[b]] = b;
    }

    private ByteLevel() { }

    private static boolean printable(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }

    /** The byte a vocabulary character stands for, or -1 when it stands for none. */
    static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }
}

package clipcl.clip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BPE loop on a hand-made vocabulary (no OpenAI file needed): lowest rank first, every
 * non-overlapping occurrence merged left to right, as simple_tokenizer.py's bpe() does.
 */
class TinyVocabTest {
    @TempDir
    Path dir;
    private ClipTokenizer tok;
    private Map<String, Object> vocab;

    @BeforeEach
    void build() throws IOException {
        vocab = TinyVocab.vocab();
        tok = TinyVocab.tokenizer(dir);
    }

    @Test
    void textAtTheLengthLimitEncodesAndOnePastIsRefused() {
        int lim = clipcl.tensor.io.InputLimits.TEXT_MAX_LINE_CHARS;
        String at = "cat ".repeat(lim / 4);
        assertEquals(lim, at.length());
        assertEquals(lim / 4, tok.encode(at).length);
        var e = assertThrows(clipcl.tensor.io.BadInputException.class, () -> tok.encode(at + "c"));
        assertTrue(e.getMessage().contains("limit of " + lim), e.getMessage());
    }

    private int id(String token) { return ((Number) vocab.get(token)).intValue(); }

    @Test
    void mergesByRankLeftToRight() {
        // aaaa: [a, a, a, a</w>] -rank 0-> [aa, a, a</w>] -rank 1-> [aa, aa</w>] -rank 2-> [aaaa</w>]
        // aaa:  [a, a, a</w>] -rank 0-> [aa, a</w>], and (aa, a</w>) is no merge
        assertArrayEquals(new int[] {id("aaaa</w>")}, tok.encode("aaaa"));
        assertArrayEquals(new int[] {id("aa"), id("a</w>")}, tok.encode("aaa"));
        assertArrayEquals(new int[] {id("aa</w>")}, tok.encode("aa"));
        assertArrayEquals(new int[] {id("a</w>")}, tok.encode("a"));
        assertArrayEquals(new int[] {id("cat</w>"), id("aa</w>")}, tok.encode("CAT aa"));
        assertArrayEquals(new int[] {id("ca"), id("b</w>")}, tok.encode("cab"));
    }

    @Test
    void bytesOfNonAsciiText() {
        // é is C3 A9: two byte symbols, the last one with </w>
        assertArrayEquals(new int[] {id(String.valueOf(ByteLevel.BYTE_TO_CHAR[0xC3])), id(ByteLevel.BYTE_TO_CHAR[0xA9] + "</w>")},
            tok.encode("é"));
        assertEquals("é ", tok.decode(tok.encode("É")));
    }

    @Test
    void specialTokensInText() {
        int sot = tok.sotToken(), eot = tok.eotToken();
        assertArrayEquals(new int[] {sot, id("aa</w>"), eot}, tok.encode("<|startoftext|>aa<|endoftext|>"));
        assertArrayEquals(new int[] {sot, id("aa</w>"), eot, 0}, tok.tokenize("aa", 4, false));
    }

    @Test
    void truncationKeepsEndTokenLast() {
        int sot = tok.sotToken(), eot = tok.eotToken(), a = id("a</w>");
        assertArrayEquals(new int[] {sot, a, a, eot}, tok.tokenize("a a a a a", 4, true));
        assertArrayEquals(new int[] {sot, a, a, eot}, tok.tokenize("a a", 4, true));
        assertArrayEquals(new int[] {sot, a, eot, 0}, tok.tokenize("a", 4, true));
        assertArrayEquals(new int[] {sot, eot, 0, 0}, tok.tokenize("", 4, true));
        var e = assertThrows(TextTooLongException.class, () -> tok.tokenize("a a a", 4, false));
        assertEquals(5, e.tokens());
        assertTrue(e.getMessage().contains("'a a a'") && e.getMessage().contains("5 tokens") && e.getMessage().contains("context length 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tok.tokenize("a", 1, true));
    }

    @Test
    void tensorOutput() {
        try (var t = tok.tokenizeTensor(java.util.List.of("a", "aa a"), 5, true)) {
            assertArrayEquals(new int[] {2, 5}, t.dims());
            assertEquals(clipcl.tensor.DType.I32, t.dtype());
            assertArrayEquals(new int[] {tok.sotToken(), id("a</w>"), tok.eotToken(), 0, 0,
                tok.sotToken(), id("aa</w>"), id("a</w>"), tok.eotToken(), 0}, t.toIntArray());
        }
    }

    @Test
    void loadErrorsNameTheFile() throws IOException {
        var missing = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.load(dir.resolve("nope.txt.gz")));
        assertTrue(missing.getMessage().contains("nope.txt.gz") && missing.getMessage().contains("not found"), missing.getMessage());
        Path bad = dir.resolve("bad.txt.gz");
        Files.write(bad, new byte[] {0x1F, (byte) 0x8B, 1, 2, 3});
        var notGz = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.load(bad));
        assertTrue(notGz.getMessage().contains("bad.txt.gz"), notGz.getMessage());
        Path empty = Files.createDirectory(dir.resolve("empty"));
        var noFiles = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.load(empty));
        assertTrue(noFiles.getMessage().contains("empty"), noFiles.getMessage());
    }
}

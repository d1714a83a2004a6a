package clipcl.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `clipcl tokenize` run directly on files, with OpenAI's vocabulary from ../shared/clip. */
class TokenizeCommandTest {
    private static Path vocab;

    @TempDir
    Path dir;

    @BeforeAll
    static void findVocab() {
        String prop = System.getProperty("clipcl.clip.vocab");
        if (prop != null && !prop.isBlank()) vocab = Path.of(prop);
        for (Path d = Path.of("").toAbsolutePath(); vocab == null && d != null; d = d.getParent()) {
            Path p = d.resolve("shared/clip/bpe_simple_vocab_16e6.txt.gz");
            if (Files.isRegularFile(p)) vocab = p;
        }
    }

    private static void needVocab() {
        assumeTrue(vocab != null && Files.isRegularFile(vocab),
            "skipped: shared/clip/bpe_simple_vocab_16e6.txt.gz not found beside the repository (or -Dclipcl.clip.vocab)");
    }

    private List<String> run(String input, String... extra) throws Exception {
        Path in = dir.resolve("in.jsonl"), out = dir.resolve("out.jsonl");
        Files.writeString(in, input, StandardCharsets.UTF_8);
        String[] base = {"--vocab", vocab.toString(), "--input", in.toString(), "--output", out.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        assertEquals(0, Cli.call(new TokenizeCommand(), args));
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    private static String padded(String ids, int count) {
        return "[" + ids + ",0".repeat(count) + "]";
    }

    @Test
    void tokenizesLikeClipTokenize() throws Exception {
        needVocab();
        List<String> lines = run("\"a photo of a cat.\"\n\"\"\n\"Tom &amp; Jerry\"\n");
        assertEquals(3, lines.size());
        // OpenAI: clip.tokenize("a photo of a cat.") = 49406 320 1125 539 320 2368 269 49407 then zeros
        assertEquals(padded("49406,320,1125,539,320,2368,269,49407", 77 - 8), lines.get(0));
        assertEquals(padded("49406,49407", 75), lines.get(1));
        assertTrue(lines.get(2).startsWith("[49406,"));
    }

    @Test
    void bpeOnlyAndContextLength() throws Exception {
        needVocab();
        assertEquals(List.of("[320,1125,539,320,2368,269]", "[]"), run("\"a photo of a cat.\"\n\"  \"\n", "--bpe-only"));
        assertEquals(List.of("[49406,320,1125,49407,0]"), run("\"a photo\"\n", "--context-length", "5"));
        assertEquals(List.of("[49406,320,49407]"), run("\"a photo of a cat.\"\n", "--context-length", "3", "--truncate"));
    }

    @Test
    void tooLongWithoutTruncateNamesTheLine() throws Exception {
        needVocab();
        var e = assertThrows(IllegalArgumentException.class, () -> run("\"ok\"\n\"" + "word ".repeat(100) + "\"\n"));
        assertTrue(e.getMessage().contains("in.jsonl:2") && e.getMessage().contains("102 tokens") && e.getMessage().contains("--truncate"), e.getMessage());
        List<String> cut = run("\"" + "word ".repeat(100) + "\"\n", "--truncate");
        assertTrue(cut.get(0).endsWith(",49407]") && cut.get(0).split(",").length == 77, cut.get(0));
    }

    @Test
    void badJsonLineNamesFileAndLine() throws Exception {
        needVocab();
        var e = assertThrows(IllegalArgumentException.class, () -> run("\"fine\"\nnot json\n"));
        assertTrue(e.getMessage().contains("in.jsonl:2") && e.getMessage().contains("JSON"), e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> run("[1, 2]\n"));
        assertTrue(f.getMessage().contains("in.jsonl:1") && f.getMessage().contains("expected a JSON string"), f.getMessage());
    }

    @Test
    void missingVocabularyIsAClearError() throws Exception {
        Path in = dir.resolve("in.jsonl");
        Files.writeString(in, "\"x\"\n");
        var e = assertThrows(IllegalArgumentException.class, () -> Cli.call(new TokenizeCommand(), new String[] {
            "--vocab", dir.resolve("missing.txt.gz").toString(), "--input", in.toString(), "--output", dir.resolve("o").toString()}));
        assertTrue(e.getMessage().contains("missing.txt.gz") && e.getMessage().contains("not found"), e.getMessage());
        var u = assertThrows(picocli.CommandLine.ParameterException.class, () -> Cli.call(new TokenizeCommand(), new String[] {"--input", in.toString()}));
        assertTrue(u.getMessage().contains("--vocab"), u.getMessage());
    }

    @Test
    void invalidUtf8AndFolderInputsAreNamed() throws Exception {
        needVocab();
        Path in = dir.resolve("bad.jsonl");
        Files.write(in, new byte[] {'"', 'o', 'k', '"', '\n', '"', (byte) 0xc3, '"', '\n'});
        var e = assertThrows(clipcl.tensor.io.BadInputException.class, () -> Cli.call(new TokenizeCommand(), new String[] {
            "--vocab", vocab.toString(), "--input", in.toString(), "--output", dir.resolve("o").toString()}));
        assertEquals("line 2", e.field());
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> Cli.call(new TokenizeCommand(), new String[] {
            "--vocab", vocab.toString(), "--input", dir.toString(), "--output", dir.resolve("o").toString()}));
        assertTrue(f.getMessage().contains("is a folder"), f.getMessage());
    }
}

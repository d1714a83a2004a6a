package clipcl.clip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hugging Face's vocab.json + merges.txt: written here in HF's layout from OpenAI's file, then read back. */
class HuggingFaceVocabTest {
    @TempDir
    Path dir;

    /** vocab.json (token -> id) and merges.txt ("#version: 0.2" header, one merge a line) as HF ships them. */
    private Path writeHfFiles(ClipTokenizer openAi, Path gz) throws IOException {
        BpeVocab v = openAi.vocab();
        Map<String, Object> vocab = new LinkedHashMap<>();
        for (int id = 0; id < v.size(); id++) vocab.put(v.token(id), (long) id);
        Files.writeString(dir.resolve("vocab.json"), Json.write(vocab));
        String text;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] lines = text.split("\n", -1);
        StringBuilder merges = new StringBuilder("#version: 0.2\n");
        for (int i = 1; i <= BpeVocab.MERGES; i++) merges.append(lines[i]).append('\n');
        Files.writeString(dir.resolve("merges.txt"), merges);
        return dir;
    }

    @Test
    void sameIdsAsOpenAisFile() throws IOException {
        Path gz = Fixtures.vocabOrSkip();
        ClipTokenizer openAi = Fixtures.tokenizerOrSkip();
        writeHfFiles(openAi, gz);
        ClipTokenizer hf = ClipTokenizer.load(dir.resolve("vocab.json"), dir.resolve("merges.txt"));
        assertEquals(49408, hf.vocab().size());
        assertEquals(49406, hf.sotToken());
        assertEquals(49407, hf.eotToken());
        assertEquals(openAi.vocab().mergeCount(), hf.vocab().mergeCount());
        for (Map<String, Object> c : Fixtures.jsonl("reference.jsonl")) {
            String text = (String) c.get("text");
            assertArrayEquals(openAi.encode(text), hf.encode(text), () -> Fixtures.show(text));
        }
        // a folder, and a vocab.json with merges.txt beside it, find the same files
        assertEquals(49408, ClipTokenizer.load(dir).vocab().size());
        assertArrayEquals(hf.encode("a photo of a cat."), ClipTokenizer.load(dir.resolve("vocab.json")).encode("a photo of a cat."));
    }

    @Test
    void missingMergesIsAClearError() throws IOException {
        Files.writeString(dir.resolve("vocab.json"), "{\"a\": 0}");
        var e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.load(dir.resolve("vocab.json")));
        assertTrue(e.getMessage().contains("merges.txt"), e.getMessage());
    }

    @Test
    void vocabularyWithoutByteTokensIsAClearError() throws IOException {
        Files.writeString(dir.resolve("vocab.json"), "{\"a\": 0, \"b\": 1}");
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\na b\n");
        var e = assertThrows(IllegalArgumentException.class, () -> ClipTokenizer.load(dir));
        assertTrue(e.getMessage().contains("vocab.json") && e.getMessage().contains("lacks the token"), e.getMessage());
    }
}

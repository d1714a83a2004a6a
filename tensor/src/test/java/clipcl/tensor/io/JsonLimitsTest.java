package clipcl.tensor.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLimitsTest {
    private static BadInputException refused(String text) {
        return assertThrows(BadInputException.class, () -> Json.parse(text, "in.json"));
    }

    @Test
    void nestingAtTheLimitParsesAndOnePastIsRefused() {
        int d = InputLimits.JSON_MAX_DEPTH;
        Object v = Json.parse("[".repeat(d) + "]".repeat(d));
        for (int k = 1; k < d; k++) v = ((List<?>) v).get(0);
        assertEquals(List.of(), v);
        BadInputException e = refused("[".repeat(d + 1) + "]".repeat(d + 1));
        assertTrue(e.getMessage().contains("nested deeper than " + d), e.getMessage());
        assertEquals("in.json", e.source());
    }

    @Test
    void thirtyThousandLevelsAreRefusedWithoutStackOverflow() {
        refused("{\"a\":".repeat(30_000) + "1" + "}".repeat(30_000));
        refused("[".repeat(30_000));
    }

    @Test
    void duplicateKeysAreRefusedNamingTheKey() {
        BadInputException e = refused("{\"w\": 1, \"x\": {}, \"w\": 2}");
        assertTrue(e.getMessage().contains("duplicate key \"w\""), e.getMessage());
    }

    @Test
    void loneSurrogatesAreRefusedEscapedOrRaw() {
        assertTrue(refused("\"\\ud800\"").getMessage().contains("lone surrogate U+D800"));
        refused("\"\\udc00\\ud800\"");
        refused("\"a\ud800b\"");
        assertEquals("\ud83d\ude00", Json.parse("\"\\ud83d\\ude00\""));
    }

    @Test
    void malformedEscapesAndNumbersAreTyped() {
        assertTrue(refused("\"\\u12g4\"").getMessage().contains("4 hex digits"));
        refused("\"\\u12\"");
        refused("01");
        refused("-");
        refused("1.");
        refused("1e");
        refused("+1");
        refused("\"tab\there\"");
        refused("[1,]");
        refused("{\"a\" 1}");
        assertEquals(1e300, Json.parse("1e300"));
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
    }

    @Test
    void errorsNameTheSourceAndOffset() {
        BadInputException e = refused("{\"a\": tru}");
        assertEquals("in.json", e.source());
        assertEquals("offset 6", e.field());
        BadInputException top = assertThrows(BadInputException.class, () -> Json.parseObject("[1]", "cfg.json"));
        assertTrue(top.getMessage().startsWith("cfg.json: "), top.getMessage());
    }

    @Test
    void filesMustBeUtf8AndWithinTheSizeLimit(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.write(bad, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, '"', '}'});
        BadInputException e = assertThrows(BadInputException.class, () -> Json.readFile(bad));
        assertEquals(bad.toString(), e.source());
        assertEquals("byte 6", e.field());

        Path at = dir.resolve("at.txt"), past = dir.resolve("past.txt");
        Files.writeString(at, "x".repeat(100));
        Files.writeString(past, "x".repeat(101));
        assertEquals(100, TextFiles.readUtf8(at, 100).length());
        BadInputException p = assertThrows(BadInputException.class, () -> TextFiles.readUtf8(past, 100));
        assertTrue(p.getMessage().contains("limit of 100 bytes"), p.getMessage());
        IOException folder = assertThrows(IOException.class, () -> TextFiles.readUtf8(dir, 100));
        assertTrue(folder.getMessage().contains("is a folder"), folder.getMessage());
    }
}

package clipcl.clip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.io.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * Character classes and case mapping against unicode_tables.json (Python's regex module and str.lower,
 * written by make_tokenizer_fixtures.py). Differences may only come from Unicode versions: a character
 * one side has not assigned yet.
 */
class UnicodeTablesTest {
    private static final Map<String, Object> TABLES = Json.parseObject(Fixtures.resource("unicode_tables.json"));

    private static boolean[] set(String key) {
        boolean[] in = new boolean[0x110000];
        for (Object r : (List<?>) TABLES.get(key)) {
            int[] ab = Fixtures.ints(r);
            for (int c = ab[0]; c <= ab[1]; c++) in[c] = true;
        }
        return in;
    }

    /** Code points where Java and Python disagree; each must be unassigned in Java's Unicode version. */
    private static List<String> disagreements(String key, IntPredicate java) {
        boolean[] py = set(key);
        List<String> bad = new ArrayList<>();
        int newer = 0;
        for (int c = 0; c < 0x110000; c++) {
            if (c >= 0xD800 && c <= 0xDFFF) continue;
            if (py[c] != java.test(c)) {
                if (!Character.isDefined(c)) newer++; // assigned after Java's Unicode version: Java calls it OTHER
                else bad.add(String.format("U+%04X python=%b", c, py[c]));
            }
        }
        System.out.printf("%s: %d code points newer than Java's Unicode (not classified the same)%n", key, newer);
        return bad;
    }

    @Test
    void whitespaceClasses() {
        assertEquals(List.of(), disagreements("space", TextCleaner::regexSpace));
        assertEquals(List.of(), disagreements("isspace", TextCleaner::pySpace));
    }

    @Test
    void splitPatternClasses() {
        assertEquals(List.of(), disagreements("letter", c -> Pretokenizer.kind(c) == Pretokenizer.Kind.LETTER));
        assertEquals(List.of(), disagreements("number", c -> Pretokenizer.kind(c) == Pretokenizer.Kind.NUMBER));
        assertEquals(List.of(), disagreements("other", c -> Pretokenizer.kind(c) == Pretokenizer.Kind.OTHER));
    }

    @Test
    void lowerCaseMatchesPythonsStrLower() {
        @SuppressWarnings("unchecked")
        Map<String, Object> py = (Map<String, Object>) TABLES.get("lower");
        boolean[] assigned = set("assigned");
        Map<Integer, String> diff = new TreeMap<>(), newer = new TreeMap<>();
        for (int c = 0; c < 0x110000; c++) {
            if (c >= 0xD800 && c <= 0xDFFF) continue;
            Object want = py.get(Integer.toString(c));
            String w = want == null ? Character.toString(c) : codePoints(Fixtures.ints(want));
            String got = TextCleaner.lower(Character.toString(c));
            if (w.equals(got)) continue;
            // only a character one side has not assigned yet may differ
            (assigned[c] && Character.isDefined(c) ? diff : newer).put(c, Fixtures.show(got) + " python " + Fixtures.show(w));
        }
        System.out.println("lower: differs on characters newer than Python's Unicode: " + newer);
        assertEquals(Map.of(), diff, "str.lower() per code point (Python " + TABLES.get("python") + ", Unicode " + TABLES.get("unicodedata") + ")");
    }

    @Test
    void finalSigmaAsPython() {
        assertEquals("σοφος", TextCleaner.lower("ΣΟΦΟΣ"));
        assertEquals("ας.", TextCleaner.lower("ΑΣ."));
        assertEquals("σ", TextCleaner.lower("Σ"));
        assertEquals("i\u0307stanbul", TextCleaner.lower("İstanbul"));
    }

    private static String codePoints(int[] cps) {
        StringBuilder b = new StringBuilder();
        for (int c : cps) b.appendCodePoint(c);
        return b.toString();
    }

    @Test
    void namedEntitiesAreHtml5s() {
        @SuppressWarnings("unchecked")
        Map<String, Object> html5 = (Map<String, Object>) TABLES.get("html5");
        for (var e : HtmlEntityTable.ENTITIES.entrySet()) {
            assertEquals(html5.get(e.getKey()), e.getValue(), "&" + e.getKey());
        }
        // every name HTML5 accepts without ';' is in the table, so Python's prefix rule is exact
        for (String name : html5.keySet()) {
            if (!name.endsWith(";")) assertTrue(HtmlEntityTable.ENTITIES.containsKey(name), "legacy name &" + name);
        }
        System.out.printf("named references: %d of HTML5's %d%n", HtmlEntityTable.ENTITIES.size(), html5.size());
    }
}

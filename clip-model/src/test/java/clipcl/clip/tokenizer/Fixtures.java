package clipcl.clip.tokenizer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import clipcl.tensor.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test fixtures: the reference files made by make_tokenizer_fixtures.py, and the shared vocabulary. */
final class Fixtures {
    static final String VOCAB_PROPERTY = "clipcl.clip.vocab";
    private static final String VOCAB_REL = "shared/clip/bpe_simple_vocab_16e6.txt.gz";
    private static ClipTokenizer tokenizer;

    private Fixtures() { }

    /**
     * OpenAI's vocabulary: -Dclipcl.clip.vocab, else shared/clip/ beside the working directory or any
     * of its parents (the repository's ../shared); null when absent.
     */
    static Path findVocab() {
        String prop = System.getProperty(VOCAB_PROPERTY);
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve(VOCAB_REL);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    /** The vocabulary, or the test is skipped with the reason. */
    static Path vocabOrSkip() {
        Path p = findVocab();
        assumeTrue(p != null && Files.isRegularFile(p), "skipped: OpenAI's " + VOCAB_REL
            + " not found beside the repository or its parents (set -D" + VOCAB_PROPERTY + "=PATH)");
        return p;
    }

    static synchronized ClipTokenizer tokenizerOrSkip() {
        Path p = vocabOrSkip();
        if (tokenizer == null) tokenizer = ClipTokenizer.load(p);
        return tokenizer;
    }

    static String resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/tokenizer/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource tokenizer/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> jsonl(String name) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : resource(name).split("\n")) {
            if (!line.isBlank()) out.add((Map<String, Object>) Json.parse(line));
        }
        return out;
    }

    static int[] ints(Object jsonArray) {
        List<?> l = (List<?>) jsonArray;
        int[] a = new int[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = ((Number) l.get(i)).intValue();
        return a;
    }

    /** A string with every non-printable-ASCII character escaped, for readable failures. */
    static String show(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7F) b.appendCodePoint(c);
            else b.append(String.format("\\u{%x}", c));
        });
        return b.toString();
    }
}

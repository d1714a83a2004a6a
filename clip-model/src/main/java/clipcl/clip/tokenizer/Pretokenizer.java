package clipcl.clip.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's split pattern, hand-compiled:
 * {@code <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+}
 * with IGNORECASE, applied by {@code findall}: at each position the first alternative that matches
 * wins, and characters no alternative matches (whitespace, and U+0345, which IGNORECASE takes out of
 * the last class) are skipped. Letters and numbers are Java's Unicode general categories L* and N*.
 */
final class Pretokenizer {
    static final String SOT = "<|startoftext|>";
    static final String EOT = "<|endoftext|>";

    private Pretokenizer() { }

    enum Kind { LETTER, NUMBER, OTHER, SKIP }

    static Kind kind(int cp) {
        if (TextCleaner.regexSpace(cp) || cp == 0x345) return Kind.SKIP;
        int t = Character.getType(cp);
        return switch (t) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> Kind.LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> Kind.NUMBER;
            default -> Kind.OTHER;
        };
    }

    /** The pieces of {@code text} in order. */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int n = text.length(), i = 0;
        while (i < n) {
            char c = text.charAt(i);
            int len = 0;
            if (c == '<') len = special(text, i);
            if (len == 0 && c == '\'') len = contraction(text, i);
            if (len > 0) {
                out.add(text.substring(i, i + len));
                i += len;
                continue;
            }
            int cp = text.codePointAt(i);
            Kind k = kind(cp);
            int j = i + Character.charCount(cp);
            switch (k) {
                case SKIP -> { i = j; continue; }
                case NUMBER -> { }
                case LETTER, OTHER -> {
                    while (j < n) {
                        int cq = text.codePointAt(j);
                        if (kind(cq) != k) break;
                        j += Character.charCount(cq);
                    }
                }
            }
            out.add(text.substring(i, j));
            i = j;
        }
        return out;
    }

    private static int special(String s, int i) {
        if (matchesFolded(s, i, SOT)) return SOT.length();
        if (matchesFolded(s, i, EOT)) return EOT.length();
        return 0;
    }

    /** 's 't 're 've 'm 'll 'd, case-insensitively (so 'ſ, long s, counts as 's). */
    private static int contraction(String s, int i) {
        if (i + 1 >= s.length()) return 0;
        char a = s.charAt(i + 1);
        if (eqFold(a, 's') || eqFold(a, 't') || eqFold(a, 'm') || eqFold(a, 'd')) return 2;
        if (i + 2 >= s.length()) return 0;
        char b = s.charAt(i + 2);
        if ((eqFold(a, 'r') || eqFold(a, 'v')) && eqFold(b, 'e')) return 3;
        if (eqFold(a, 'l') && eqFold(b, 'l')) return 3;
        return 0;
    }

    private static boolean matchesFolded(String s, int i, String lit) {
        if (i + lit.length() > s.length()) return false;
        for (int k = 0; k < lit.length(); k++) if (!eqFold(s.charAt(i + k), lit.charAt(k))) return false;
        return true;
    }

    /** Simple case folding against an ASCII lower-case literal, with the two non-ASCII folds into ASCII letters. */
    private static boolean eqFold(char c, char lit) {
        if (c == lit) return true;
        if (c < 128) return c >= 'A' && c <= 'Z' && c + 32 == lit;
        return (c == '\u017F' && lit == 's') || (c == '\u212A' && lit == 'k');
    }
}

package clipcl.clip.tokenizer;

import java.util.Locale;

/**
 * OpenAI's text cleaning before BPE: {@code whitespace_clean(basic_clean(text)).lower()}, where
 * basic_clean = ftfy.fix_text (approximated by {@link Ftfy}), html.unescape twice, str.strip(); and
 * whitespace_clean = every run of {@code regex}'s \s (Unicode White_Space) to one space, str.strip().
 */
public final class TextCleaner {
    private TextCleaner() { }

    /** The cleaned, lower-cased text whose pieces the BPE encodes. */
    public static String clean(String text) {
        String t = Ftfy.fixText(text);
        t = HtmlUnescape.python(HtmlUnescape.python(t));
        t = pyStrip(t);
        t = pyStrip(collapseWhitespace(t));
        return lower(t);
    }

    /** {@code regex}'s \s without flags: the Unicode White_Space property. */
    static boolean regexSpace(int c) {
        return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680
            || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    /** Python's str.isspace for one character: White_Space plus the separators U+001C..U+001F. */
    static boolean pySpace(int c) {
        return regexSpace(c) || (c >= 0x1C && c <= 0x1F);
    }

    static String pyStrip(String s) {
        int a = 0, b = s.length();
        while (a < b && pySpace(s.charAt(a))) a++;
        while (b > a && pySpace(s.charAt(b - 1))) b--;
        return a == 0 && b == s.length() ? s : s.substring(a, b);
    }

    static String collapseWhitespace(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean inSpace = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (regexSpace(c)) {
                if (!inSpace) out.append(' ');
                inSpace = true;
            } else {
                out.append(c);
                inSpace = false;
            }
        }
        return out.toString();
    }

    /**
     * Python's str.lower: full lower-case mapping (U+0130 -> "i̇") with the final-sigma rule, which Java's
     * locale-neutral toLowerCase also implements. Java 25 knows Unicode 16, Python 3.9-3.13 at most 15.1:
     * the capitals whose lower case Unicode 16 added are left as they are (to Python they are unassigned,
     * neither cased nor case-ignorable, so lowering the text between them separately keeps the
     * final-sigma context Python sees).
     */
    static String lower(String s) {
        int from = 0;
        StringBuilder b = null;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (unicode16Capital(cp)) {
                if (b == null) b = new StringBuilder(s.length());
                b.append(s.substring(from, i).toLowerCase(Locale.ROOT)).appendCodePoint(cp);
                from = next;
            }
            i = next;
        }
        if (b == null) return s.toLowerCase(Locale.ROOT);
        return b.append(s.substring(from).toLowerCase(Locale.ROOT)).toString();
    }

    /** Upper-case letters whose lower-case mapping is new in Unicode 16 (Cyrillic TJE, Latin, Garay). */
    static boolean unicode16Capital(int cp) {
        return cp == 0x1C89 || cp == 0xA7CB || cp == 0xA7CC || cp == 0xA7DA || cp == 0xA7DC || (cp >= 0x10D50 && cp <= 0x10D65);
    }
}

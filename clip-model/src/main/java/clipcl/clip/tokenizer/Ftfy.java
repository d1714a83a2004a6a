package clipcl.clip.tokenizer;

import java.text.Normalizer;

/**
 * An approximation of {@code ftfy.fix_text} with ftfy 6's default settings, as OpenAI's tokenizer
 * calls it. Exact: the per-line segments, HTML unescaping ("auto": off from the first line holding a
 * '<' on), C1 controls read as Windows-1252, Latin ligatures, fullwidth/halfwidth forms, curly quotes,
 * line breaks, lone surrogates, ANSI escapes, control characters, NFC, all repeated to a fixed point.
 * Approximate: mojibake detection ({@link Mojibake}); named HTML entities ({@link HtmlEntityTable}).
 */
final class Ftfy {
    private Ftfy() { }

    static String fixText(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean unescape = true;
        int pos = 0;
        while (pos < text.length()) {
            int brk = text.indexOf('\n', pos) + 1;
            if (brk == 0) brk = text.length();
            String segment = text.substring(pos, brk);
            if (unescape && segment.indexOf('<') >= 0) unescape = false;
            out.append(fixSegment(segment, unescape));
            pos = brk;
        }
        return out.toString();
    }

    private static String fixSegment(String text, boolean unescape) {
        for (int guard = 0; guard < 64; guard++) {
            String orig = text;
            if (unescape) text = HtmlUnescape.ftfy(text);
            text = Mojibake.fix(text);
            text = fixC1Controls(text);
            text = fixLigaturesAndWidth(text);
            text = uncurlQuotes(text);
            text = text.replace("\r\n", "\n").replace('\r', '\n').replace('\u2028', '\n').replace('\u2029', '\n')
                .replace('\u0085', '\n');
            text = fixSurrogates(text);
            text = removeTerminalEscapes(text);
            text = removeControlChars(text);
            text = Normalizer.normalize(text, Normalizer.Form.NFC);
            if (text.equals(orig)) return text;
        }
        return text;
    }

    static String fixC1Controls(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80 && c <= 0x9F) {
                if (b == null) b = new StringBuilder(s.length()).append(s, 0, i);
                char w = HtmlUnescape.CP1252_C1[c - 0x80];
                b.append(w == 0 ? c : w);
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    private static String ligature(char c) {
        return switch (c) {
            case '\u0132' -> "IJ";
            case '\u0133' -> "ij";
            case '\u0149' -> "\u02BCn";
            case '\u01F1' -> "DZ";
            case '\u01F2' -> "Dz";
            case '\u01F3' -> "dz";
            case '\u01C4' -> "D\u017D";
            case '\u01C5' -> "D\u017E";
            case '\u01C6' -> "d\u017E";
            case '\u01C7' -> "LJ";
            case '\u01C8' -> "Lj";
            case '\u01C9' -> "lj";
            case '\u01CA' -> "NJ";
            case '\u01CB' -> "Nj";
            case '\u01CC' -> "nj";
            case '\uFB00' -> "ff";
            case '\uFB01' -> "fi";
            case '\uFB02' -> "fl";
            case '\uFB03' -> "ffi";
            case '\uFB04' -> "ffl";
            case '\uFB05' -> "\u017Ft";
            case '\uFB06' -> "st";
            default -> null;
        };
    }

    /** Latin ligatures split; U+3000 and the halfwidth/fullwidth forms U+FF01..U+FFEF to their NFKC form. */
    static String fixLigaturesAndWidth(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = ligature(c);
            if (r == null && c == '\u3000') r = " ";
            if (r == null && c >= '\uFF01' && c <= '\uFFEF') {
                String k = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKC);
                if (!k.equals(String.valueOf(c))) r = k;
            }
            if (r != null && b == null) b = new StringBuilder(s.length() + 8).append(s, 0, i);
            if (b != null) {
                if (r != null) b.append(r); else b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    static String uncurlQuotes(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i), r = c;
            if (c == '\u02BC' || (c >= '\u2018' && c <= '\u201B')) r = '\'';
            else if (c >= '\u201C' && c <= '\u201F') r = '"';
            if (r != c && b == null) b = new StringBuilder(s).delete(i, s.length());
            if (b != null) b.append(r);
        }
        return b == null ? s : b.toString();
    }

    /** Paired surrogates are already one code point in Java; lone ones become U+FFFD. */
    static String fixSurrogates(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean lone = false;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    if (b != null) b.append(c).append(s.charAt(i + 1));
                    i++;
                    continue;
                }
                lone = true;
            } else if (Character.isLowSurrogate(c)) {
                lone = true;
            }
            if (lone && b == null) b = new StringBuilder(s).delete(i, s.length());
            if (b != null) b.append(lone ? '\uFFFD' : c);
        }
        return b == null ? s : b.toString();
    }

    /** ESC '[' (Unicode decimal digit or ';')* ASCII letter, removed. */
    static String removeTerminalEscapes(String s) {
        int esc = s.indexOf('\u001B');
        if (esc < 0) return s;
        StringBuilder b = new StringBuilder(s.length());
        int i = 0;
        while (esc >= 0) {
            int j = esc + 1;
            if (j < s.length() && s.charAt(j) == '[') {
                j++;
                while (j < s.length()) {
                    int cp = s.codePointAt(j);
                    if (cp == ';' || Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER) j += Character.charCount(cp);
                    else break;
                }
                char c = j < s.length() ? s.charAt(j) : 0;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                    b.append(s, i, esc);
                    i = j + 1;
                    esc = s.indexOf('\u001B', i);
                    continue;
                }
            }
            esc = s.indexOf('\u001B', esc + 1);
        }
        return b.append(s, i, s.length()).toString();
    }

    private static boolean control(char c) {
        return c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F || (c >= 0x206A && c <= 0x206F)
            || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
    }

    static String removeControlChars(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean drop = control(c);
            if (drop && b == null) b = new StringBuilder(s.length()).append(s, 0, i);
            if (b != null && !drop) b.append(c);
        }
        return b == null ? s : b.toString();
    }
}

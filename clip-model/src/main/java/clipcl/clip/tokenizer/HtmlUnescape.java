package clipcl.clip.tokenizer;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTML character references decoded the way Python does it: {@link #python} is {@code html.unescape}
 * (numeric references with the HTML5 replacements, named ones with or without ';' and the
 * longest-prefix rule); {@link #ftfy} is ftfy's stricter {@code unescape_html} (only {@code &name;} with
 * the semicolon, plus all-caps spellings such as {@code &EACUTE;}). Named references come from
 * {@link HtmlEntityTable}, a subset of HTML5's.
 */
final class HtmlUnescape {
    private HtmlUnescape() { }

    /** Windows-1252 meanings of C1 code points, used by both HTML5 and ftfy (0 = undefined there). */
    static final char[] CP1252_C1 = {
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    };

    /** ftfy's entity table: every ';' name, plus ALL-CAPS spellings of all-lowercase names that mean nothing else. */
    private static final Map<String, String> FTFY_ENTITIES = buildFtfy();

    private static Map<String, String> buildFtfy() {
        Map<String, String> m = new HashMap<>();
        for (var e : HtmlEntityTable.ENTITIES.entrySet()) {
            String name = e.getKey();
            if (!name.endsWith(";")) continue;
            m.put("&" + name, e.getValue());
        }
        for (var e : HtmlEntityTable.ENTITIES.entrySet()) {
            String name = e.getKey();
            if (!name.endsWith(";") || !name.equals(name.toLowerCase(Locale.ROOT))) continue;
            String upper = "&" + name.toUpperCase(Locale.ROOT);
            if (python(upper).equals(upper)) m.put(upper, e.getValue().toUpperCase(Locale.ROOT));
        }
        return Map.copyOf(m);
    }

    /** Python's {@code html.unescape}. */
    static String python(String s) {
        int amp = s.indexOf('&');
        if (amp < 0) return s;
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (amp >= 0) {
            out.append(s, i, amp);
            i = pythonRef(s, amp, out);
            amp = s.indexOf('&', i);
        }
        out.append(s, i, s.length());
        return out.toString();
    }

    /** Decodes the reference starting at the '&' at {@code at}; returns the index after what it consumed. */
    private static int pythonRef(String s, int at, StringBuilder out) {
        int n = s.length(), p = at + 1;
        if (p < n && s.charAt(p) == '#') {
            boolean hex = p + 1 < n && (s.charAt(p + 1) == 'x' || s.charAt(p + 1) == 'X');
            int d0 = hex ? p + 2 : p + 1, d = d0;
            while (d < n && (hex ? Character.digit(s.charAt(d), 16) >= 0 && s.charAt(d) < 128 : s.charAt(d) >= '0' && s.charAt(d) <= '9')) d++;
            if (d == d0) { out.append('&'); return at + 1; }
            int end = d < n && s.charAt(d) == ';' ? d + 1 : d;
            out.append(numeric(s.substring(d0, d), hex ? 16 : 10));
            return end;
        }
        // [^\t\n\f <&#;]{1,32};?
        int q = p;
        while (q < n && q - p < 32 && nameChar(s.charAt(q))) q++;
        if (q == p) { out.append('&'); return at + 1; }
        if (q < n && s.charAt(q) == ';') q++;
        String name = s.substring(p, q);
        String v = HtmlEntityTable.ENTITIES.get(name);
        if (v != null) { out.append(v); return q; }
        for (int x = name.length() - 1; x > 1; x--) {
            v = HtmlEntityTable.ENTITIES.get(name.substring(0, x));
            if (v != null) { out.append(v).append(name, x, name.length()); return q; }
        }
        out.append('&').append(name);
        return q;
    }

    private static boolean nameChar(char c) {
        return c != '\t' && c != '\n' && c != '\f' && c != ' ' && c != '<' && c != '&' && c != '#' && c != ';';
    }

    /** A numeric reference's characters under Python's rules (HTML5's replacement table and invalid code points). */
    private static String numeric(String digits, int radix) {
        String trimmed = digits.replaceFirst("^0+(?=.)", "");
        long num = trimmed.length() > 8 ? Long.MAX_VALUE : Long.parseLong(trimmed, radix);
        if (num == 0) return "\uFFFD";
        if (num == 0x0D) return "\r";
        if (num >= 0x80 && num <= 0x9F) {
            char c = CP1252_C1[(int) num - 0x80];
            return String.valueOf(c == 0 ? (char) num : c);
        }
        if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) return "\uFFFD";
        int cp = (int) num;
        if ((cp >= 0x1 && cp <= 0x8) || (cp >= 0xE && cp <= 0x1F) || cp == 0x7F || cp == 0xB
            || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) return "";
        return Character.toString(cp);
    }

    /** ftfy's {@code unescape_html}: {@code &#?[0-9A-Za-z]{1,24};} replaced when it names something. */
    static String ftfy(String s) {
        int amp = s.indexOf('&');
        if (amp < 0) return s;
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (amp >= 0) {
            int p = amp + 1;
            if (p < s.length() && s.charAt(p) == '#') p++;
            int q = p;
            while (q < s.length() && q - p < 24 && asciiAlnum(s.charAt(q))) q++;
            if (q > p && q < s.length() && s.charAt(q) == ';') {
                String ref = s.substring(amp, q + 1), v = FTFY_ENTITIES.get(ref);
                if (v == null && ref.startsWith("&#")) {
                    String u = python(ref);
                    v = u.indexOf(';') >= 0 ? null : u;
                }
                if (v != null) {
                    out.append(s, i, amp).append(v);
                    i = q + 1;
                    amp = s.indexOf('&', i);
                    continue;
                }
            }
            // the regex scans on from the next character after a failed match
            amp = s.indexOf('&', amp + 1);
        }
        out.append(s, i, s.length());
        return out.toString();
    }

    private static boolean asciiAlnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}

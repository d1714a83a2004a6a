package clipcl.clip.tokenizer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The common case of ftfy's {@code fix_encoding}: UTF-8 that was decoded as Latin-1 or Windows-1252
 * ("cafÃ©", "donâ€™t", "âœ”"). ftfy decides with a large "badness" heuristic and tries ten single-byte
 * encodings; this looks for UTF-8 byte patterns only, tries Latin-1 then sloppy Windows-1252 on the
 * whole text, and otherwise re-decodes each such run on its own. See the package documentation for
 * what differs.
 */
final class Mojibake {
    private Mojibake() { }

    /** Repeats one fixing step until nothing changes, as ftfy does. */
    static String fix(String text) {
        for (int guard = 0; guard < 16; guard++) {
            String next = step(text);
            if (next.equals(text)) return text;
            text = next;
        }
        return text;
    }

    private static String step(String text) {
        if (!hasUtf8Run(text, 0, text.length())) return text;
        String whole = redecode(text, 0, text.length(), true);
        if (whole == null) whole = redecode(text, 0, text.length(), false);
        if (whole != null) return whole;
        return fixRuns(text);
    }

    /** The byte a character has in sloppy Windows-1252 (C1 code points as themselves), or -1. */
    static int sloppy1252(char c) {
        if (c < 0x80 || (c >= 0xA0 && c <= 0xFF)) return c;
        if (c <= 0x9F) return HtmlUnescape.CP1252_C1[c - 0x80] == 0 ? c : -1;
        for (int b = 0; b < 32; b++) if (HtmlUnescape.CP1252_C1[b] == c) return 0x80 + b;
        return -1;
    }

    private static int byteOf(char c, boolean latin1) {
        return latin1 ? (c <= 0xFF ? c : -1) : sloppy1252(c);
    }

    /** The byte under either reading: Latin-1 for U+0000..U+00FF (C1 controls included), else Windows-1252. */
    private static int eitherByte(char c) {
        return c <= 0xFF ? c : sloppy1252(c);
    }

    /** Length (in chars) of a complete, plausible UTF-8 sequence spelled in Latin-1/Windows-1252 at i, or 0. */
    private static int utf8SeqAt(String s, int i) {
        int lead = eitherByte(s.charAt(i));
        int need = lead >= 0xC2 && lead <= 0xDF ? 1 : lead >= 0xE0 && lead <= 0xEF ? 2 : lead >= 0xF0 && lead <= 0xF4 ? 3 : -1;
        if (need < 0 || i + need >= s.length()) return 0;
        byte[] b = new byte[need + 1];
        b[0] = (byte) lead;
        for (int k = 1; k <= need; k++) {
            int c = eitherByte(s.charAt(i + k));
            if (c < 0x80 || c > 0xBF) return 0;
            b[k] = (byte) c;
        }
        String dec = strictUtf8(b);
        return dec != null && plausible(dec.codePointAt(0)) ? need + 1 : 0;
    }

    private static boolean hasUtf8Run(String s, int from, int to) {
        for (int i = from; i < to; i++) if (s.charAt(i) >= 0xC2 && utf8SeqAt(s, i) > 0) return true;
        return false;
    }

    /**
     * Scripts and symbol blocks UTF-8 mojibake usually hides; a decoded character elsewhere (e.g. NKo
     * from a German "ß“") means the original text was not mojibake.
     */
    private static boolean plausible(int cp) {
        return (cp >= 0x80 && cp <= 0x052F) || (cp >= 0x0590 && cp <= 0x06FF) || (cp >= 0x0900 && cp <= 0x0E7F)
            || (cp >= 0x1E00 && cp <= 0x1FFF) || (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x9FFF)
            || (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xFE00 && cp <= 0xFFFD) || (cp >= 0x1F000 && cp <= 0x1FAFF);
    }

    /** text[from,to) encoded in Latin-1 or sloppy Windows-1252 and decoded as strict UTF-8, or null. */
    private static String redecode(String s, int from, int to, boolean latin1) {
        byte[] b = new byte[to - from];
        for (int i = from; i < to; i++) {
            int v = byteOf(s.charAt(i), latin1);
            if (v < 0) return null;
            b[i - from] = (byte) v;
        }
        String dec = strictUtf8(b);
        if (dec == null) return null;
        for (int i = 0; i < dec.length(); ) {
            int cp = dec.codePointAt(i);
            if (cp >= 0x80 && !plausible(cp)) return null;
            i += Character.charCount(cp);
        }
        return dec;
    }

    private static String redecodeEither(String s, int from, int to) {
        byte[] b = new byte[to - from];
        for (int i = from; i < to; i++) b[i - from] = (byte) eitherByte(s.charAt(i)); // runs hold mappable chars only
        String dec = strictUtf8(b);
        return dec != null && dec.codePoints().allMatch(cp -> cp < 0x80 || plausible(cp)) ? dec : null;
    }

    private static String strictUtf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** ftfy's {@code decode_inconsistent_utf8}: each maximal run of UTF-8-looking sequences re-decoded alone. */
    private static String fixRuns(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0, n = s.length();
        while (i < n) {
            int len = s.charAt(i) >= 0xC2 ? utf8SeqAt(s, i) : 0;
            if (len == 0) { out.append(s.charAt(i++)); continue; }
            int end = i + len;
            for (int more; end < n && (more = utf8SeqAt(s, end)) > 0; ) end += more;
            String dec = redecode(s, i, end, false);
            if (dec == null) dec = redecode(s, i, end, true);
            if (dec == null) dec = redecodeEither(s, i, end);
            out.append(dec != null ? dec : s.substring(i, end));
            i = end;
        }
        return out.toString();
    }
}

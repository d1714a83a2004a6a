package clipcl.tensor.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer (RFC 8259) so the core modules need no dependency. Objects become
 * LinkedHashMap (key order kept), arrays ArrayList, numbers Long when integral and in range, else
 * Double; strings, booleans and null map to themselves.
 */
public final class Json {
    private final String s;
    private final String source;
    private int i;
    private int depth;

    private Json(String s, String source) {
        this.s = s;
        this.source = source;
    }

    /** Parses JSON text; errors are reported against "JSON text". */
    public static Object parse(String text) { return parse(text, "JSON text"); }

    /**
     * Parses JSON text; every error is a {@link BadInputException} naming source and the offset.
     * Nesting deeper than {@link InputLimits#JSON_MAX_DEPTH}, duplicate keys, lone surrogates and
     * raw control characters in strings are refused (Python's json accepts duplicates, keeping the
     * last, which silently changes what a file means).
     */
    public static Object parse(String text, String source) {
        Json p = new Json(text, source);
        p.ws();
        Object v = p.value();
        p.ws();
        if (p.i != p.s.length()) throw p.err("trailing characters");
        return v;
    }

    public static Map<String, Object> parseObject(String text) { return parseObject(text, "JSON text"); }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text, String source) {
        Object o = parse(text, source);
        if (!(o instanceof Map)) throw new BadInputException(source, null, "expected a JSON object at the top level, found " + kind(o));
        return (Map<String, Object>) o;
    }

    /** Reads and parses a UTF-8 JSON file of at most {@link InputLimits#JSON_MAX_BYTES}. */
    public static Object readFile(java.nio.file.Path file) throws java.io.IOException {
        return parse(TextFiles.readUtf8(file, InputLimits.JSON_MAX_BYTES), file.toString());
    }

    /** Reads a JSON file whose top level must be an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readObject(java.nio.file.Path file) throws java.io.IOException {
        Object o = readFile(file);
        if (!(o instanceof Map)) throw new BadInputException(file.toString(), null, "expected a JSON object at the top level, found " + kind(o));
        return (Map<String, Object>) o;
    }

    /** The JSON name of a parsed value's type, for error messages. */
    public static String kind(Object o) {
        if (o == null) return "null";
        if (o instanceof Map) return "an object";
        if (o instanceof List) return "an array";
        if (o instanceof String) return "a string";
        if (o instanceof Boolean) return "a boolean";
        if (o instanceof Number) return "a number";
        return o.getClass().getSimpleName();
    }

    private BadInputException err(String what) {
        int from = Math.max(0, i - 20), to = Math.min(s.length(), i + 20);
        StringBuilder near = new StringBuilder();
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            near.append(c < 0x20 || Character.isSurrogate(c) ? '?' : c);
        }
        return new BadInputException(source, "offset " + i, what + " near '" + near + "'");
    }

    private void ws() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') i++;
            else break;
        }
    }

    private Object value() {
        if (i >= s.length()) throw err("unexpected end");
        char c = s.charAt(i);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) throw err("unexpected token");
        i += word.length();
        return v;
    }

    private void enter() {
        if (++depth > InputLimits.JSON_MAX_DEPTH) throw err("nested deeper than " + InputLimits.JSON_MAX_DEPTH + " levels");
    }

    private Map<String, Object> object() {
        enter();
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        ws();
        if (i < s.length() && s.charAt(i) == '}') { i++; depth--; return m; }
        while (true) {
            ws();
            if (i >= s.length() || s.charAt(i) != '"') throw err("expected a string key");
            int keyAt = i;
            String k = string();
            ws();
            if (i >= s.length() || s.charAt(i) != ':') throw err("expected ':'");
            i++;
            ws();
            Object v = value();
            if (m.containsKey(k)) { i = keyAt; throw err("duplicate key \"" + printable(k) + "\""); }
            m.put(k, v);
            ws();
            if (i >= s.length()) throw err("unexpected end in object");
            char c = s.charAt(i++);
            if (c == '}') { depth--; return m; }
            if (c != ',') { i--; throw err("expected ',' or '}'"); }
        }
    }

    private List<Object> array() {
        enter();
        List<Object> l = new ArrayList<>();
        i++;
        ws();
        if (i < s.length() && s.charAt(i) == ']') { i++; depth--; return l; }
        while (true) {
            ws();
            l.add(value());
            ws();
            if (i >= s.length()) throw err("unexpected end in array");
            char c = s.charAt(i++);
            if (c == ']') { depth--; return l; }
            if (c != ',') { i--; throw err("expected ',' or ']'"); }
        }
    }

    private String string() {
        int open = i;
        i++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) { i = open; throw err("unterminated string"); }
            char c = s.charAt(i++);
            if (c == '"') break;
            if (c < 0x20) { i--; throw err("raw control character U+" + String.format("%04X", (int) c) + " in a string (must be escaped)"); }
            if (c == '\\') {
                if (i >= s.length()) throw err("unterminated escape");
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        int code = 0;
                        for (int k = 0; k < 4; k++) {
                            int d = i + k < s.length() ? Character.digit(s.charAt(i + k), 16) : -1;
                            if (d < 0) throw err("bad \\u escape (needs 4 hex digits)");
                            code = code * 16 + d;
                        }
                        b.append((char) code);
                        i += 4;
                    }
                    default -> { i--; throw err("bad escape \\" + (e < 0x20 ? "?" : String.valueOf(e))); }
                }
            } else {
                b.append(c);
            }
        }
        // Escaped or raw, a surrogate must be half of a pair: a lone one is not Unicode text and
        // would turn into '?' or an exception wherever the string is encoded.
        for (int k = 0; k < b.length(); k++) {
            char c = b.charAt(k);
            if (Character.isHighSurrogate(c) && k + 1 < b.length() && Character.isLowSurrogate(b.charAt(k + 1))) { k++; continue; }
            if (Character.isSurrogate(c)) { i = open; throw err("lone surrogate U+" + String.format("%04X", (int) c) + " in a string"); }
        }
        return b.toString();
    }

    /** RFC 8259 numbers, plus Python's NaN, Infinity and -Infinity. */
    private Object number() {
        int start = i;
        for (String w : new String[] {"NaN", "Infinity", "-Infinity"}) {
            if (s.startsWith(w, start)) { i = start + w.length(); return Double.parseDouble(w); }
        }
        if (i < s.length() && s.charAt(i) == '-') i++;
        int intStart = i;
        if (i < s.length() && s.charAt(i) == '0') i++;
        else if (i < s.length() && s.charAt(i) >= '1' && s.charAt(i) <= '9') digits();
        else { i = start; throw err("unexpected character"); }
        if (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') { i = intStart; throw err("leading zero in a number"); }
        boolean integral = true;
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            integral = false;
            if (digits() == 0) throw err("no digits after the decimal point");
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            integral = false;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            if (digits() == 0) throw err("no digits in the exponent");
        }
        String t = s.substring(start, i);
        if (integral) {
            try { return Long.parseLong(t); } catch (NumberFormatException big) { return Double.parseDouble(t); }
        }
        return Double.parseDouble(t);
    }

    private int digits() {
        int from = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        return i - from;
    }

    private static String printable(String k) {
        String t = k.length() > 60 ? k.substring(0, 60) + "..." : k;
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < t.length(); j++) {
            char c = t.charAt(j);
            b.append(c < 0x20 ? '?' : c);
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ writing

    /** Compact JSON text of maps, lists, arrays, strings, numbers, booleans and null. */
    public static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v, -1, 0);
        return b.toString();
    }

    /** Indented JSON text (2 spaces), for files people read. */
    public static String pretty(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v, 2, 0);
        return b.append('\n').toString();
    }

    private static void write(StringBuilder b, Object v, int indent, int depth) {
        if (v == null) b.append("null");
        else if (v instanceof String str) quote(b, str);
        else if (v instanceof Double d) b.append(d.isNaN() || d.isInfinite() ? "null" : (d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) + ".0" : d.toString()));
        else if (v instanceof Float f) write(b, (double) f, indent, depth);
        else if (v instanceof Number || v instanceof Boolean) b.append(v);
        else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) b.append(',');
                first = false;
                newline(b, indent, depth + 1);
                quote(b, String.valueOf(e.getKey()));
                b.append(indent >= 0 ? ": " : ":");
                write(b, e.getValue(), indent, depth + 1);
            }
            if (!m.isEmpty()) newline(b, indent, depth);
            b.append('}');
        } else if (v instanceof List<?> l) {
            b.append('[');
            for (int k = 0; k < l.size(); k++) {
                if (k > 0) b.append(indent >= 0 ? ", " : ",");
                write(b, l.get(k), indent, depth + 1);
            }
            b.append(']');
        } else if (v instanceof int[] a) {
            List<Object> l = new ArrayList<>();
            for (int x : a) l.add(x);
            write(b, l, indent, depth);
        } else if (v instanceof double[] a) {
            List<Object> l = new ArrayList<>();
            for (double x : a) l.add(x);
            write(b, l, indent, depth);
        } else if (v instanceof float[] a) {
            List<Object> l = new ArrayList<>();
            for (float x : a) l.add((double) x);
            write(b, l, indent, depth);
        } else if (v instanceof long[] a) {
            List<Object> l = new ArrayList<>();
            for (long x : a) l.add(x);
            write(b, l, indent, depth);
        } else throw new IllegalArgumentException("JSON: cannot write a " + v.getClass().getName());
    }

    private static void newline(StringBuilder b, int indent, int depth) {
        if (indent < 0) return;
        b.append('\n');
        b.append(" ".repeat(indent * depth));
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}

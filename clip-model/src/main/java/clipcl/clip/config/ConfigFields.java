package clipcl.clip.config;

import clipcl.tensor.io.BadInputException;
import clipcl.tensor.io.Json;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Typed reads of model-config fields. A field of the wrong type, an integer outside int range, and a
 * field this build does not know are refused by name: reading "quick_gelu": "yes" as false, or
 * ignoring a field that changes the architecture, would build a different model than the file
 * describes without a word.
 */
final class ConfigFields {
    private ConfigFields() { }

    static int intOf(Map<String, Object> m, String section, String key, int def, String source) {
        Object o = m.get(key);
        if (o == null) return def;
        long v;
        if (o instanceof Long l) v = l;
        else if (o instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e18) v = d.longValue();
        else throw new BadInputException(source, name(section, key), "must be an integer, found " + describe(o));
        if (v != (int) v) throw new BadInputException(source, name(section, key), v + " is outside the integer range [" + Integer.MIN_VALUE + ", " + Integer.MAX_VALUE + "]");
        return (int) v;
    }

    static boolean boolOf(Map<String, Object> m, String section, String key, boolean def, String source) {
        Object o = m.get(key);
        if (o == null) return def;
        if (!(o instanceof Boolean b)) throw new BadInputException(source, name(section, key), "must be true or false, found " + describe(o));
        return b;
    }

    /**
     * Refuses fields outside read and fields of ignoredAtDefault (open_clip options this build does not
     * implement) whose value differs from open_clip's default.
     */
    static void checkKeys(Map<String, Object> m, String section, Set<String> read, Map<String, Object> ignoredAtDefault, String source) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String k = e.getKey();
            if (read.contains(k)) continue;
            if (ignoredAtDefault.containsKey(k)) {
                Object def = ignoredAtDefault.get(k);
                Object v = e.getValue();
                boolean same = Objects.equals(v, def) || (v instanceof Number a && def instanceof Number b && a.doubleValue() == b.doubleValue());
                if (!same) throw new BadInputException(source, name(section, k), "is not supported with any value but " + Json.write(def) + ", found " + Json.write(v));
                continue;
            }
            throw new BadInputException(source, name(section, k), "unknown field (known: " + new java.util.TreeSet<>(union(read, ignoredAtDefault.keySet())) + ")");
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return u;
    }

    private static String name(String section, String key) { return section == null ? key : section + "." + key; }

    private static String describe(Object o) {
        String s = o instanceof String str ? "\"" + (str.length() > 40 ? str.substring(0, 40) + "..." : str) + "\"" : Json.kind(o);
        return o instanceof Number ? String.valueOf(o) : s;
    }
}

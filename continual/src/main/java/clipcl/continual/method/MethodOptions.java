package clipcl.continual.method;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A method's settings as written on the command line and in config.json: {@code name[:key=value,...]},
 * e.g. {@code vr-lwf:beta=1,variant=zscl}. Keeping them in the method's string means a study's
 * configuration records them with no extra field, and a run folder names them.
 */
public record MethodOptions(String name, Map<String, String> values) {
    public MethodOptions {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static MethodOptions parse(String spec) {
        int colon = spec.indexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        Map<String, String> v = new LinkedHashMap<>();
        if (colon >= 0 && colon + 1 < spec.length()) {
            for (String kv : spec.substring(colon + 1).split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("method '" + spec + "': option '" + kv + "' is not key=value");
                v.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        return new MethodOptions(name, v);
    }

    /** Refuses keys the method does not know, so a typo is not silently ignored. */
    public MethodOptions allow(String... keys) {
        Set<String> ok = Set.of(keys);
        for (String k : values.keySet()) {
            if (!ok.contains(k)) throw new IllegalArgumentException("method " + name + ": unknown option '" + k + "'; known: " + String.join(", ", keys));
        }
        return this;
    }

    public double number(String key, double dflt) {
        String s = values.get(key);
        if (s == null) return dflt;
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("method " + name + ": option " + key + " must be a number, got '" + s + "'");
        }
    }

    public int integer(String key, int dflt) {
        double d = number(key, dflt);
        if (d != Math.rint(d)) throw new IllegalArgumentException("method " + name + ": option " + key + " must be an integer, got '" + values.get(key) + "'");
        return (int) d;
    }

    /** One of the allowed words (the first is the default). */
    public String choice(String key, String... allowed) {
        String s = values.getOrDefault(key, allowed[0]);
        for (String a : allowed) if (a.equals(s)) return s;
        throw new IllegalArgumentException("method " + name + ": option " + key + " must be one of " + String.join("|", allowed) + ", got '" + s + "'");
    }
}

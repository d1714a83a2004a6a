package clipcl.continual.method;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A method's settings as written on the command line and in config.json: {@code name[:key=value,...]},
 * e.g. {@code vr-lwf:beta=1,variant=zscl} or {@code mod-x:alpha=10,buffer=3000}. Keeping them in the
 * method's string means a study's configuration records them with no extra field, and a run folder
 * names them. Every key must be one the method knows; each read names the method and the key on bad
 * input.
 */
public record MethodOptions(String name, Map<String, String> values) {
    public MethodOptions {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The base name of a spec ("mod-x" of "mod-x:alpha=10"). */
    public static String baseName(String spec) {
        int c = spec.indexOf(':');
        return c < 0 ? spec : spec.substring(0, c);
    }

    public static MethodOptions parse(String spec) {
        String name = baseName(spec);
        Map<String, String> v = new LinkedHashMap<>();
        if (spec.length() > name.length() + 1) {
            for (String kv : spec.substring(name.length() + 1).split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("method '" + spec + "': option '" + kv + "' is not key=value");
                v.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        return new MethodOptions(name, v);
    }

    /** Parses spec and refuses keys outside known. */
    public static MethodOptions parse(String spec, Set<String> known) { return parse(spec).allow(known.toArray(String[]::new)); }

    /** Refuses keys the method does not know, so a typo is not silently ignored. */
    public MethodOptions allow(String... keys) {
        Set<String> ok = Set.of(keys);
        for (String k : values.keySet()) {
            if (!ok.contains(k)) throw new IllegalArgumentException("method " + name + ": unknown option '" + k + "'; known: " + new TreeSet<>(ok));
        }
        return this;
    }

    public String string(String key, String dflt) { return values.getOrDefault(key, dflt); }

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

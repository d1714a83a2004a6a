package clipcl.continual.method;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A method's settings written into its name, {@code name:key=value,key=value} (for example
 * {@code mod-x:alpha=10,buffer=3000}), so a variant is one string in configs, run folders and reports.
 * Every key must be one the method knows; each read names the method and the key on bad input.
 */
public final class MethodOptions {
    private final String method;
    private final Map<String, String> values;

    private MethodOptions(String method, Map<String, String> values) {
        this.method = method;
        this.values = values;
    }

    /** The base name of a spec ("mod-x" of "mod-x:alpha=10"). */
    public static String baseName(String spec) {
        int c = spec.indexOf(':');
        return c < 0 ? spec : spec.substring(0, c);
    }

    public static MethodOptions parse(String spec, Set<String> known) {
        String name = baseName(spec);
        Map<String, String> v = new LinkedHashMap<>();
        if (spec.length() > name.length() + 1) {
            for (String kv : spec.substring(name.length() + 1).split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("method '" + spec + "': option '" + kv + "' is not key=value");
                String k = kv.substring(0, eq).trim();
                if (!known.contains(k)) throw new IllegalArgumentException("method " + name + ": unknown option '" + k + "'; known: " + new TreeSet<>(known));
                v.put(k, kv.substring(eq + 1).trim());
            }
        }
        return new MethodOptions(name, v);
    }

    public String string(String key, String dflt) { return values.getOrDefault(key, dflt); }

    public double number(String key, double dflt) {
        String s = values.get(key);
        if (s == null) return dflt;
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("method " + method + ": option " + key + " must be a number, got '" + s + "'");
        }
    }

    public int integer(String key, int dflt) {
        double d = number(key, dflt);
        if (d != Math.rint(d)) throw new IllegalArgumentException("method " + method + ": option " + key + " must be an integer, got " + d);
        return (int) d;
    }
}

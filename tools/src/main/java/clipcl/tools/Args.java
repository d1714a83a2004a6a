package clipcl.tools;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A small GNU-style option parser: --name value, --name=value, --flag, and positional arguments. */
public final class Args {
    private final Map<String, List<String>> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final List<String> positional = new ArrayList<>();

    /**
     * @param flagNames options that take no value (e.g. "json"); every other --option takes one
     */
    public static Args parse(String[] args, Set<String> flagNames, Set<String> valueNames) {
        Args a = new Args();
        for (int i = 0; i < args.length; i++) {
            String s = args[i];
            if (s.startsWith("--") && s.length() > 2) {
                String name = s.substring(2), val = null;
                int eq = name.indexOf('=');
                if (eq >= 0) { val = name.substring(eq + 1); name = name.substring(0, eq); }
                if (flagNames.contains(name)) {
                    if (val != null) throw new UsageException("--" + name + " takes no value");
                    a.flags.add(name);
                } else if (valueNames.contains(name)) {
                    if (val == null) {
                        if (i + 1 >= args.length) throw new UsageException("--" + name + " needs a value");
                        val = args[++i];
                    }
                    a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(val);
                } else {
                    throw new UsageException("unknown option --" + name);
                }
            } else {
                a.positional.add(s);
            }
        }
        return a;
    }

    public boolean flag(String name) { return flags.contains(name); }

    public String get(String name, String def) {
        List<String> v = values.get(name);
        return v == null ? def : v.get(v.size() - 1);
    }

    public String require(String name) {
        String v = get(name, null);
        if (v == null) throw new UsageException("missing --" + name);
        return v;
    }

    public List<String> all(String name) { return values.getOrDefault(name, List.of()); }

    public int getInt(String name, int def) {
        String v = get(name, null);
        if (v == null) return def;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    public double getDouble(String name, double def) {
        String v = get(name, null);
        if (v == null) return def;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got '" + v + "'");
        }
    }

    public List<String> positional() { return positional; }
}

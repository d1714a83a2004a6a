package clipcl.continual.method;

import java.util.List;

/** Methods by command-line name. */
public final class Methods {
    public static final List<String> NAMES = List.of("ft", "joint");

    private Methods() { }

    public static Method byName(String name) {
        return switch (name) {
            case "ft" -> new FineTune();
            case "joint" -> new Joint();
            default -> throw new IllegalArgumentException("unknown method '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }
}

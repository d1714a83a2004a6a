package clipcl.continual.method;

import java.util.List;
import java.util.Set;

/** Methods by command-line name; paper B's methods also take options written into the name (see {@link MethodOptions}). */
public final class Methods {
    public static final List<String> NAMES = List.of("ft", "joint", "clip-ct", "clip-jt", "mod-x", "ewc", "der");

    private Methods() { }

    public static Method byName(String spec) {
        String name = MethodOptions.baseName(spec);
        return switch (name) {
            case "ft" -> new FineTune();
            case "joint" -> new Joint();
            case "clip-ct" -> plain(spec, new ClipCt());
            case "clip-jt" -> plain(spec, new ClipJt());
            case "mod-x" -> ModX.of(MethodOptions.parse(spec, ModX.OPTIONS));
            case "ewc" -> Ewc.of(MethodOptions.parse(spec, Ewc.OPTIONS));
            case "der" -> Der.of(MethodOptions.parse(spec, Der.OPTIONS));
            default -> throw new IllegalArgumentException("unknown method '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }

    private static Method plain(String spec, Method m) {
        MethodOptions.parse(spec, Set.of());
        return m;
    }
}

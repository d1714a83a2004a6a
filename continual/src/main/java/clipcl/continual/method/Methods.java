package clipcl.continual.method;

import java.util.List;

/** Methods by command-line name; a name may carry options, {@code name:key=value,...} ({@link MethodOptions}). */
public final class Methods {
    public static final List<String> NAMES = List.of("ft", "joint", "joint-ft", "lwf", "geodl", "imm", "rkr", "vr-lwf",
            "clip-ct", "clip-jt", "mod-x", "ewc", "der", "der++");

    private Methods() { }

    /** The method's name without its options. */
    public static String baseName(String spec) { return MethodOptions.baseName(spec); }

    public static Method byName(String spec) {
        MethodOptions o = MethodOptions.parse(spec);
        return switch (o.name()) {
            case "ft" -> { o.allow(); yield new FineTune(); }
            case "joint", "joint-ft" -> { o.allow(); yield new Joint(); }
            case "lwf" -> new Lwf(o);
            case "geodl" -> new GeoDl(o);
            case "imm" -> new Imm(o);
            case "rkr" -> new Rkr(o);
            case "vr-lwf" -> new VrLwf(o);
            case "clip-ct" -> { o.allow(); yield new ClipCt(); }
            case "clip-jt" -> new ClipJt(o);
            case "mod-x" -> ModX.of(MethodOptions.parse(spec, ModX.OPTIONS));
            case "ewc" -> Ewc.of(MethodOptions.parse(spec, Ewc.OPTIONS));
            case "der" -> Der.of(MethodOptions.parse(spec, Der.OPTIONS), false);
            case "der++" -> Der.of(MethodOptions.parse(spec, Der.OPTIONS), true);
            default -> throw new IllegalArgumentException("unknown method '" + o.name() + "'; known: " + String.join(", ", NAMES));
        };
    }
}

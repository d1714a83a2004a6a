package clipcl.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.BinaryOp;
import clipcl.tensor.DType;
import clipcl.tensor.ReduceOp;
import clipcl.tensor.UnaryOp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Java side and the CUDA sources must agree without a GPU to catch a mismatch: kernel names
 * and parameter lists ({@link Kernel} against the extern "C" __global__ declarations), and the op,
 * reduction and dtype codes (Java ordinals against the C enums).
 */
class KernelSignatureTest {
    static final Path CUDA = Path.of("src/main/cuda");

    static Map<String, List<Kernel.Param>> declaredKernels() throws IOException {
        Map<String, List<Kernel.Param>> out = new HashMap<>();
        Pattern decl = Pattern.compile("extern \"C\" __global__ void (\\w+)\\(([^)]*)\\)", Pattern.DOTALL);
        try (var files = Files.list(CUDA)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cu")).toList()) {
                String family = f.getFileName().toString().replace(".cu", "");
                Matcher m = decl.matcher(Files.readString(f));
                while (m.find()) {
                    List<Kernel.Param> ps = new ArrayList<>();
                    for (String p : m.group(2).split(",")) ps.add(kind(p.trim(), m.group(1)));
                    out.put(family + "/" + m.group(1), ps);
                }
            }
        }
        return out;
    }

    static Kernel.Param kind(String param, String kernel) {
        if (param.contains("*")) return Kernel.Param.PTR;
        String type = param.replace("const ", "").split("\\s+")[0];
        return switch (type) {
            case "int" -> Kernel.Param.INT;
            case "float" -> Kernel.Param.FLOAT;
            case "double" -> Kernel.Param.DOUBLE;
            case "Layout" -> Kernel.Param.LAYOUT;
            case "Strides" -> Kernel.Param.STRIDES;
            case "AdamWParams" -> Kernel.Param.ADAMW;
            default -> throw new AssertionError("kernel " + kernel + ": parameter type '" + type + "' has no Java mapping");
        };
    }

    @Test
    void everyJavaKernelMatchesItsDeclaration() throws IOException {
        Map<String, List<Kernel.Param>> declared = declaredKernels();
        for (Kernel k : Kernel.values()) {
            List<Kernel.Param> ps = declared.remove(k.family + "/" + k.symbol);
            assertNotNull(ps, k + ": no extern \"C\" __global__ void " + k.symbol + " in " + k.family + ".cu");
            assertEquals(ps, k.params, k + ": parameter kinds differ from " + k.family + ".cu");
        }
        assertTrue(declared.isEmpty(), "kernels in src/main/cuda that Java never launches: " + declared.keySet());
    }

    /** NAME = value pairs of a C enum in a header. */
    static Map<String, Integer> cEnum(String file, String name) throws IOException {
        String src = Files.readString(CUDA.resolve(file));
        Matcher m = Pattern.compile("enum " + name + "\\s*\\{([^}]*)\\}").matcher(src);
        assertTrue(m.find(), "enum " + name + " in " + file);
        Map<String, Integer> out = new HashMap<>();
        for (String e : m.group(1).split(",")) {
            String[] kv = e.trim().split("\\s*=\\s*");
            out.put(kv[0], Integer.parseInt(kv[1]));
        }
        return out;
    }

    static <E extends Enum<E>> void sameCodes(Class<E> type, Map<String, Integer> c, String prefix) {
        E[] values = type.getEnumConstants();
        assertEquals(values.length, c.size(), type.getSimpleName() + " and the C enum differ in size: " + c);
        for (E v : values) assertEquals(v.ordinal(), c.get(prefix + v.name()), type.getSimpleName() + "." + v.name());
    }

    @Test
    void opReductionAndDtypeCodesMatchTheJavaEnums() throws IOException {
        sameCodes(UnaryOp.class, cEnum("ops.cuh", "UnaryCode"), "U_");
        sameCodes(BinaryOp.class, cEnum("ops.cuh", "BinaryCode"), "B_");
        sameCodes(ReduceOp.class, cEnum("reduce.cuh", "ReduceCode"), "R_");
        sameCodes(DType.class, cEnum("common.cuh", "DTypeCode"), "DT_");
    }

    @Test
    void structSizesMatch() throws IOException {
        String common = Files.readString(CUDA.resolve("common.cuh"));
        assertTrue(common.contains("#define MAX_RANK " + Layouts.MAX_RANK), "MAX_RANK in common.cuh equals Layouts.MAX_RANK");
        String adamw = Files.readString(CUDA.resolve("adamw.cuh"));
        Matcher m = Pattern.compile("struct AdamWParams \\{\\s*float ([^;]*);\\s*\\}").matcher(adamw);
        assertTrue(m.find(), "struct AdamWParams of floats only");
        assertEquals(Kernel.Param.ADAMW.structLength(), m.group(1).split(",").length, "AdamWParams fields");
    }
}

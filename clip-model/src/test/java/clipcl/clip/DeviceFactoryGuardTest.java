package clipcl.clip;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Model and training code creates tensors on its operands' device: in the main sources of
 * autograd, clip-model and continual, every call of a tensor factory that has a device-less form
 * (empty, zeros, ones, full, scalar, arange) must name a device (an argument mentioning device,
 * including an explicit Device.CPU), or use the *Like forms. Wrapping host arrays (Tensor.of) is
 * allowed: that is data entering from the host, moved explicitly. A line may opt out with the
 * comment "host-by-design" and a reason.
 */
class DeviceFactoryGuardTest {
    private static final Pattern CALL = Pattern.compile("Tensor\\.(empty|zeros|ones|full|scalar|arange)\\(");
    private static final List<Path> ROOTS = List.of(Path.of("../autograd/src/main/java"), Path.of("src/main/java"), Path.of("../continual/src/main/java"));

    @Test
    void mainCodeNamesADeviceForEveryFactoryCall() throws IOException {
        List<String> bad = new ArrayList<>();
        int scanned = 0;
        for (Path root : ROOTS) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    scanned++;
                    bad.addAll(violations(f, Files.readString(f)));
                }
            }
        }
        assertTrue(scanned > 50, "the guard found only " + scanned + " source files: run from the clip-model module folder");
        assertTrue(bad.isEmpty(), "device-less tensor factories in model/training code (pass a device, or use zerosLike/fullLike/scalarLike):\n  " + String.join("\n  ", bad));
    }

    /** Factory calls in src whose arguments mention no device. */
    static List<String> violations(Path file, String src) {
        List<String> out = new ArrayList<>();
        Matcher m = CALL.matcher(src);
        while (m.find()) {
            int depth = 1, i = m.end();
            while (i < src.length() && depth > 0) {
                char c = src.charAt(i++);
                if (c == '(') depth++;
                else if (c == ')') depth--;
            }
            String args = src.substring(m.end(), Math.max(m.end(), i - 1));
            int lineStart = src.lastIndexOf('\n', m.start()) + 1, lineEnd = src.indexOf('\n', m.start());
            String line = src.substring(lineStart, lineEnd < 0 ? src.length() : lineEnd);
            if (args.toLowerCase(java.util.Locale.ROOT).contains("device") || line.contains("host-by-design")) continue;
            int lineNo = (int) src.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
            out.add(file + ":" + lineNo + ": " + line.trim());
        }
        return out;
    }

    @Test
    void theGuardSeesADevicelessCall() {
        assertTrue(!violations(Path.of("X.java"), "Tensor t = Tensor.zeros(g.dtype(), in.toArray());").isEmpty());
        assertTrue(violations(Path.of("X.java"), "Tensor t = Tensor.zeros(g.dtype(), g.device(), in.toArray());").isEmpty());
        assertTrue(!violations(Path.of("X.java"), "Tensor.full(Math.log(1 / 0.07), init.dtype())").isEmpty());
    }
}

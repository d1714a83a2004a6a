package clipcl.tools;

import clipcl.tensor.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Files of one JSON value per line; errors name the file and line. */
final class JsonLines {
    private JsonLines() { }

    /** Each non-empty line must be a JSON string. */
    static List<String> readStrings(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such file");
        List<String> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank()) continue;
            Object v;
            try {
                v = Json.parse(line);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ":" + lineNo + ": not JSON: " + e.getMessage());
            }
            if (!(v instanceof String s)) throw new IOException(file + ":" + lineNo + ": expected a JSON string, got " + line.strip());
            out.add(s);
        }
        return out;
    }
}

package clipcl.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Files of one JSON value per line; errors name the file and line. */
final class JsonLines {
    private JsonLines() { }

    /** Each non-empty line must be a JSON string. */
    static List<String> readStrings(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such file");
        return clipcl.tensor.io.JsonLines.readStrings(file);
    }
}

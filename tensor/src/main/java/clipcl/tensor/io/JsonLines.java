package clipcl.tensor.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Files of one JSON value per line (JSONL); every refusal names the file and the line. */
public final class JsonLines {
    private JsonLines() { }

    /**
     * The JSON strings of a file, one per non-blank line. The file must be UTF-8 of at most
     * {@link InputLimits#JSON_MAX_BYTES}, each line at most {@link InputLimits#TEXT_MAX_LINE_CHARS}.
     */
    public static List<String> readStrings(Path file) throws IOException {
        String text = TextFiles.readUtf8(file, InputLimits.JSON_MAX_BYTES);
        String src = file.toString();
        List<String> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\r?\n", -1)) {
            lineNo++;
            if (line.isBlank()) continue;
            out.add(string(line, src, lineNo));
        }
        return out;
    }

    /** One line that must hold a JSON string. */
    public static String string(String line, String source, int lineNo) {
        String where = "line " + lineNo;
        if (line.length() > InputLimits.TEXT_MAX_LINE_CHARS) {
            throw new BadInputException(source, where, line.length() + " characters, more than the limit of " + InputLimits.TEXT_MAX_LINE_CHARS);
        }
        Object v;
        try {
            v = Json.parse(line, source);
        } catch (BadInputException e) {
            throw new BadInputException(source, where + ", " + e.field(), e.problem(), e);
        }
        if (!(v instanceof String s)) throw new BadInputException(source, where, "expected a JSON string, found " + Json.kind(v));
        return s;
    }
}

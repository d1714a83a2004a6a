package clipcl.clip.tokenizer;

import clipcl.tensor.io.BadInputException;
import clipcl.tensor.io.InputLimits;
import clipcl.tensor.io.TextFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reading the vocabulary files: gzip or plain text, and the merge lines without reading more than needed. */
final class VocabFiles {
    private VocabFiles() { }

    /** The whole file as UTF-8 text, gunzipped when it starts with gzip's magic bytes. */
    static String readText(Path path) {
        try (InputStream in = open(path)) {
            // Bounded, so that a gzip bomb in place of a vocabulary cannot exhaust the heap.
            byte[] b = in.readNBytes((int) InputLimits.JSON_MAX_BYTES + 1);
            if (b.length > InputLimits.JSON_MAX_BYTES) throw new BadInputException(path.toString(), null, "more than the limit of " + InputLimits.JSON_MAX_BYTES + " bytes of text");
            return TextFiles.decodeUtf8(b, path.toString());
        } catch (IOException e) {
            throw failure(path, e);
        }
    }

    /**
     * Python's {@code text.split("\n")[1 : 1 + count]} (after {@code strip()} when {@code stripFirst})
     * parsed as merge pairs; stops reading once it has them, as OpenAI's 1.3 MB file holds five times more.
     */
    static List<String[]> mergeLines(Path path, int count, boolean stripFirst) {
        byte[] buf = new byte[1 << 20];
        int len = 0, lines = 0;
        try (InputStream in = open(path)) {
            int scanned = 0;
            while (lines <= count) {
                if (len == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
                int r = in.read(buf, len, buf.length - len);
                if (r < 0) break;
                len += r;
                for (; scanned < len; scanned++) if (buf[scanned] == '\n' && ++lines > count) break;
            }
        } catch (IOException e) {
            throw failure(path, e);
        }
        String text = new String(buf, 0, len, StandardCharsets.UTF_8);
        if (stripFirst) text = text.strip();
        List<String[]> merges = new ArrayList<>(count);
        int pos = text.indexOf('\n') + 1, lineNo = 2;
        if (pos == 0) throw new IllegalArgumentException(path + ": no merges found (a header line, then one merge per line)");
        while (merges.size() < count && pos <= text.length()) {
            int end = text.indexOf('\n', pos);
            if (end < 0) end = text.length();
            if (end == text.length() && pos == end) break; // the empty piece after a final '\n'
            merges.add(pair(text.substring(pos, end), path, lineNo++));
            pos = end + 1;
        }
        if (merges.isEmpty()) throw new IllegalArgumentException(path + ": no merges found (a header line, then one merge per line)");
        return merges;
    }

    /** A merge line's two symbols, split at whitespace as Python's str.split() does. */
    private static String[] pair(String line, Path path, int lineNo) {
        int sp = line.indexOf(' ');
        if (sp > 0 && sp == line.lastIndexOf(' ') && sp < line.length() - 1 && line.indexOf('\t') < 0 && line.indexOf('\r') < 0) {
            return new String[] {line.substring(0, sp), line.substring(sp + 1)};
        }
        String[] parts = line.strip().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException(path + ":" + lineNo + ": a merge line needs two symbols, got '" + line + "'");
        }
        return parts;
    }

    private static InputStream open(Path path) throws IOException {
        InputStream raw = Files.newInputStream(path);
        try {
            byte[] head = raw.readNBytes(2);
            InputStream all = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head), raw);
            boolean gz = head.length == 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B;
            return gz ? new GZIPInputStream(all, 1 << 16) : all;
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    private static RuntimeException failure(Path path, IOException e) {
        if (e instanceof NoSuchFileException) return new IllegalArgumentException(path + ": vocabulary file not found", e);
        if (e instanceof java.util.zip.ZipException || e instanceof java.io.EOFException) {
            return new IllegalArgumentException(path + ": not a readable gzip file (" + e.getMessage() + ")", e);
        }
        return new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
}

package clipcl.tensor.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading text files strictly: valid UTF-8 only, a size limit, and errors that name the file. */
public final class TextFiles {
    private TextFiles() { }

    /**
     * The whole file as a string. A missing file or a folder is an IOException; a file over maxBytes
     * or with invalid UTF-8 is a {@link BadInputException} naming the byte offset.
     */
    public static String readUtf8(Path file, long maxBytes) throws IOException {
        if (Files.isDirectory(file)) throw new IOException(file + ": is a folder, not a file");
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
        if (bytes.length > maxBytes) throw new BadInputException(file.toString(), null, "larger than the limit of " + maxBytes + " bytes");
        return decodeUtf8(bytes, file.toString());
    }

    /** Strict UTF-8 decoding; a bad sequence is reported by its byte offset. */
    public static String decodeUtf8(byte[] bytes, String source) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadInputException(source, "byte " + firstBadUtf8(bytes), "not valid UTF-8 text");
        }
    }

    /** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
    static int firstBadUtf8(byte[] b) {
        var dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(Math.max(16, b.length));
        dec.decode(in, out, true);
        return in.position();
    }
}

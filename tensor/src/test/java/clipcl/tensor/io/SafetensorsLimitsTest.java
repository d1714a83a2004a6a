package clipcl.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsLimitsTest {
    @TempDir
    Path dir;

    /** A safetensors file: 8-byte length, the header text as given, then dataBytes bytes 0, 1, 2, ... */
    static byte[] file(String header, int dataBytes) {
        return file(header.getBytes(StandardCharsets.UTF_8), dataBytes);
    }

    static byte[] file(byte[] h, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (int i = 0; i < dataBytes; i++) b.put((byte) i);
        return b.array();
    }

    private Path write(byte[] bytes) throws IOException {
        Path f = Files.createTempFile(dir, "t", ".safetensors");
        Files.write(f, bytes);
        return f;
    }

    private BadInputException refused(String header, int dataBytes) throws IOException {
        Path f = write(file(header, dataBytes));
        BadInputException e = assertThrows(BadInputException.class, () -> Safetensors.open(f).close());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        return e;
    }

    private static String t(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\": {\"dtype\": \"" + dtype + "\", \"shape\": " + shape + ", \"data_offsets\": [" + begin + ", " + end + "]}";
    }

    @Test
    void aValidFileReads() throws IOException {
        Path f = write(file("{" + t("a", "F32", "[1]", 0, 4) + ", " + t("b", "I32", "[]", 4, 8) + "}", 8));
        try (Safetensors.Reader r = Safetensors.open(f); Tensor b = r.read("b")) {
            assertEquals(2, r.entries().size());
            assertArrayEquals(new int[] {0x07060504}, b.toIntArray());
        }
    }

    @Test
    void duplicateTensorNamesAreRefused() throws IOException {
        BadInputException e = refused("{" + t("w", "F32", "[1]", 0, 4) + ", " + t("w", "F32", "[1]", 4, 8) + "}", 8);
        assertTrue(e.getMessage().contains("duplicate key \"w\""), e.getMessage());
    }

    @Test
    void overlappingOffsetsAreRefused() throws IOException {
        BadInputException e = refused("{" + t("a", "F32", "[2]", 0, 8) + ", " + t("b", "F32", "[1]", 4, 8) + "}", 8);
        assertTrue(e.getMessage().contains("overlap"), e.getMessage());
    }

    @Test
    void gapsAndTrailingBytesAreRefused() throws IOException {
        BadInputException gap = refused("{" + t("a", "F32", "[1]", 0, 4) + ", " + t("b", "F32", "[1]", 8, 12) + "}", 12);
        assertEquals("tensor 'b'", gap.field());
        BadInputException start = refused("{" + t("a", "F32", "[1]", 4, 8) + "}", 8);
        assertTrue(start.getMessage().contains("gap"), start.getMessage());
        BadInputException trailing = refused("{" + t("a", "F32", "[1]", 0, 4) + "}", 5);
        assertTrue(trailing.getMessage().contains("1 trailing bytes"), trailing.getMessage());
        BadInputException truncated = refused("{" + t("a", "F32", "[2]", 0, 8) + "}", 4);
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
    }

    @Test
    void shapesThatOverflowAreTyped() throws IOException {
        BadInputException big = refused("{" + t("a", "F32", "[4294967328]", 0, 4) + "}", 4);
        assertEquals("tensor 'a' shape", big.field());
        refused("{" + t("a", "F32", "[65536, 65536]", 0, 4) + "}", 4);
        refused("{" + t("a", "F32", "[-1]", 0, 4) + "}", 4);
        refused("{" + t("a", "F32", "[1.5]", 0, 4) + "}", 4);
    }

    @Test
    void wrongTypesInTheHeaderAreNamedNotCast() throws IOException {
        assertEquals("tensor 'a' dtype", refused("{\"a\": {\"dtype\": 7, \"shape\": [1], \"data_offsets\": [0, 4]}}", 4).field());
        assertEquals("tensor 'a' shape", refused("{\"a\": {\"dtype\": \"F32\", \"shape\": \"1\", \"data_offsets\": [0, 4]}}", 4).field());
        assertEquals("tensor 'a' data_offsets", refused("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", 4).field());
        assertEquals("tensor 'a'", refused("{\"a\": [1]}", 4).field());
        assertEquals("tensor 'a' dtype", refused("{" + t("a", "Q7", "[1]", 0, 4) + "}", 4).field());
        assertEquals("__metadata__", refused("{\"__metadata__\": 3}", 0).field());
        assertEquals("tensor 'a'", refused("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4], \"x\": 1}}", 4).field());
    }

    @Test
    void headerLengthLiesAndNonUtf8HeadersAreTyped() throws IOException {
        byte[] f = file("{}", 0);
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        Path p = write(f);
        BadInputException e = assertThrows(BadInputException.class, () -> Safetensors.open(p).close());
        assertEquals("header length", e.field());
        Path bad = write(file(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}, 0));
        assertThrows(BadInputException.class, () -> Safetensors.open(bad).close());
    }

    @Test
    void headerSizeLimitAtAndPast() throws IOException {
        // The length is checked before anything is read, so a sparse file of the limit's size is enough.
        long lim = InputLimits.SAFETENSORS_MAX_HEADER_BYTES;
        Path f = dir.resolve("big.safetensors");
        try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, lim + 1));
            ch.write(ByteBuffer.wrap(new byte[] {' '}), 8 + lim);
        }
        BadInputException past = assertThrows(BadInputException.class, () -> Safetensors.open(f).close());
        assertTrue(past.getMessage().contains("limit of " + lim), past.getMessage());
        try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, lim));
            ch.write(ByteBuffer.wrap(new byte[] {'{', '}'}), 8);
        }
        // At the limit the header is read: "{}" then zero bytes, which are not JSON whitespace.
        BadInputException at = assertThrows(BadInputException.class, () -> Safetensors.open(f).close());
        assertTrue(at.getMessage().contains("trailing characters"), at.getMessage());
    }

    @Test
    void deeplyNestedHeadersAreRefused() throws IOException {
        refused("{\"a\": " + "[".repeat(30_000) + "]".repeat(30_000) + "}", 0);
    }
}

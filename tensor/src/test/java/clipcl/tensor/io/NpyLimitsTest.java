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

class NpyLimitsTest {
    /** A version 1.0 .npy file with the given header dict and data bytes. */
    static byte[] npy(String dict, byte[] data) {
        String h = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length());
        b.put(h.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return b.array();
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    private static BadInputException refused(byte[] file) {
        return assertThrows(BadInputException.class, () -> Npy.parse(file, "x.npy"));
    }

    @Test
    void aValidFileReads() {
        try (Tensor t = Npy.parse(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", floats(1, 2)), "x.npy")) {
            assertArrayEquals(new float[] {1, 2}, t.toFloatArray());
        }
    }

    @Test
    void aShapeSmallerThanTheDataIsRefused() {
        BadInputException e = refused(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", floats(1, 2)));
        assertEquals("shape", e.field());
        assertTrue(e.getMessage().contains("holds 8 bytes"), e.getMessage());
    }

    @Test
    void hugeOrNegativeDimensionsAreTyped() {
        BadInputException e = refused(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999,), }", floats()));
        assertEquals("shape", e.field());
        refused(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", floats()));
        BadInputException prod = refused(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536), }", floats()));
        assertTrue(prod.getMessage().contains("more than the limit"), prod.getMessage());
    }

    @Test
    void headerLengthAtAndPastTheLimit() {
        byte[] v2 = new byte[12 + InputLimits.NPY_MAX_HEADER_BYTES + 1];
        System.arraycopy(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}, 0, v2, 0, 8);
        ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN).putInt(8, InputLimits.NPY_MAX_HEADER_BYTES + 1);
        assertTrue(refused(v2).getMessage().contains("limit of " + InputLimits.NPY_MAX_HEADER_BYTES));
        ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN).putInt(8, InputLimits.NPY_MAX_HEADER_BYTES);
        // At the limit the length is accepted and the (blank) header is what gets refused.
        assertEquals("header", refused(v2).field());
    }

    @Test
    void int64OutsideInt32IsTyped() {
        ByteBuffer d = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40);
        BadInputException e = refused(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", d.array()));
        assertEquals("element 0", e.field());
    }

    @Test
    void nonFiniteValuesAreRefusedWhereFiniteOnesAreNeeded(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("img.npy");
        Files.write(f, npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", floats(1, Float.NaN, 2)));
        BadInputException e = assertThrows(BadInputException.class, () -> Npy.readFinite(f));
        assertEquals("element 1", e.field());
        Files.write(f, npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", floats(1, Float.NEGATIVE_INFINITY)));
        assertThrows(BadInputException.class, () -> Npy.readFinite(f));
    }

    @Test
    void aFolderIsNotANpyFile(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> Npy.read(dir));
        assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
    }
}

package clipcl.clip.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.io.BadInputException;
import clipcl.tensor.io.InputLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxLimitsTest {
    static byte[] idx(int[] dims, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + dataBytes);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) b.putInt(d);
        return b.array();
    }

    private static BadInputException refused(byte[] b) {
        return assertThrows(BadInputException.class, () -> Idx.read(new ByteArrayInputStream(b), "x-idx"));
    }

    @Test
    void negativeCountsAreRefusedByDimension() {
        BadInputException e = refused(idx(new int[] {-48, 4, 4}, 16));
        assertEquals("dims[0]", e.field());
        assertTrue(e.getMessage().contains("-48"), e.getMessage());
    }

    @Test
    void elementCountAtAndPastTheLimit() throws IOException {
        // Past the limit: refused from the header, before any allocation.
        BadInputException e = refused(idx(new int[] {65536, 65536}, 0));
        assertTrue(e.getMessage().contains("limit of " + InputLimits.IDX_MAX_ELEMENTS), e.getMessage());
        // At the limit the header passes and the (absent) data is what is refused, without allocating it.
        int[] at = {(int) (InputLimits.IDX_MAX_ELEMENTS / 7), 7};
        assertEquals(at[0] * 7L, InputLimits.IDX_MAX_ELEMENTS);
        assertEquals("data", refused(idx(at, 0)).field());
    }

    @Test
    void dataLongerOrShorterThanTheHeaderSaysIsRefused() throws IOException {
        assertEquals("data", refused(idx(new int[] {2, 2}, 3)).field());
        assertTrue(refused(idx(new int[] {2, 2}, 5)).getMessage().contains("more bytes"));
        assertArrayEquals(new int[] {2, 2}, Idx.read(new ByteArrayInputStream(idx(new int[] {2, 2}, 4)), "x").dims());
    }

    @Test
    void aGzipBombIsNotInflatedPastTheHeader(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(idx(new int[] {1}, 0));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) gz.write(zeros); // 64 MiB after a header that promises 1 byte
        }
        Path f = dir.resolve("bomb-idx1-ubyte.gz");
        Files.write(f, bytes.toByteArray());
        BadInputException e = assertThrows(BadInputException.class, () -> Idx.read(f));
        assertEquals(f.toString(), e.source());
    }
}

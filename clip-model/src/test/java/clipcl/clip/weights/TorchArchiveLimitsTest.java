package clipcl.clip.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.io.BadInputException;
import clipcl.tensor.io.InputLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pickle record's size limit ({@link InputLimits#PICKLE_MAX_BYTES}, 1 GiB) is checked against the
 * zip entry's declared size before anything is read; the check takes the limit as a parameter, so it is
 * tested here at and one past a small limit, the way the JSON file-size limit is.
 */
class TorchArchiveLimitsTest {
    @Test
    void aRecordAtTheLimitIsReadAndOnePastIsRefusedBeforeReading(@TempDir Path dir) throws IOException {
        byte[] pickle = new byte[100];
        for (int i = 0; i < pickle.length; i++) pickle[i] = (byte) i;
        Path file = dir.resolve("model.pt");
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("model/data.pkl"));
            zip.write(pickle);
            zip.closeEntry();
        }
        try (TorchArchive a = TorchArchive.open(file)) {
            assertEquals("model/", a.prefix());
            assertArrayEquals(pickle, a.readRecord("data.pkl", 100));
            BadInputException e = assertThrows(BadInputException.class, () -> a.readRecord("data.pkl", 99));
            assertEquals(file.toString(), e.source());
            assertTrue(e.getMessage().contains("model/data.pkl is 100 bytes, more than the 99 expected"), e.getMessage());
        }
        assertEquals(1L << 30, InputLimits.PICKLE_MAX_BYTES);
    }
}

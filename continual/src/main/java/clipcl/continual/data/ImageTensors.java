package clipcl.continual.data;

import clipcl.clip.demo.FashionCaptions;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;

/**
 * Turns 28x28 gray images into the model's input [n, 3, side, side]: padded to side (a multiple of
 * the patch), replicated to RGB and normalised with Fashion-MNIST's pixel statistics (CLIP_0's
 * preprocessing, kept for every later data set as a released CLIP keeps its own). Training
 * augmentation: a random shift of up to 2 pixels, and a horizontal flip only where it keeps the
 * class (clothes yes, digits no). Sets read from files (user data) go through their own
 * {@link ImageSource} instead: CLIP's preprocessing at this side.
 */
public record ImageTensors(int side, boolean flip) {
    public static final float MEAN = FashionCaptions.MEAN, STD = FashionCaptions.STD;

    /**
     * The images of items, augmented with rng when it is not null. A file-backed set (user data) is
     * read through its source with the model's own preprocessing and never augmented: paper A's
     * authors train on CLIP's preprocessing alone.
     */
    public Tensor of(LabeledImages set, int[] items, Rng rng) {
        long n = (long) items.length * 3 * side * side;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(set.name() + ": " + items.length + " images of " + side + " px are " + n + " values, more than one tensor holds (2^31)");
        }
        float[] out = new float[(int) n];
        if (set.source() != null) {
            try {
                set.source().write(items, side, out);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(set.name() + ": " + e.getMessage(), e);
            }
        } else {
            write(set, items, rng, out);
        }
        return Tensor.of(out, items.length, 3, side, side);
    }

    void write(LabeledImages set, int[] items, Rng rng, float[] out) {
        int s = set.side(), plane = side * side, pad = (side - s) / 2;
        float bg = (0 - MEAN) / STD;
        for (int n = 0; n < items.length; n++) {
            int dx = 0, dy = 0;
            boolean flipIt = false;
            if (rng != null) {
                dx = rng.nextInt(5) - 2;
                dy = rng.nextInt(5) - 2;
                flipIt = rng.nextInt(2) == 1 && flip;
            }
            int base = n * 3 * plane;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int sy = y - pad - dy, sx = x - pad - dx;
                    if (flipIt) sx = s - 1 - sx;
                    float v = (sy < 0 || sy >= s || sx < 0 || sx >= s) ? bg : ((set.pixel(items[n], sy * s + sx) / 255f) - MEAN) / STD;
                    out[base + y * side + x] = v;
                    out[base + plane + y * side + x] = v;
                    out[base + 2 * plane + y * side + x] = v;
                }
            }
        }
    }
}

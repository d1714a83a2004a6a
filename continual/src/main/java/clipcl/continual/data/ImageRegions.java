package clipcl.continual.data;

import clipcl.clip.image.DecodedImage;
import clipcl.clip.image.ImageDecoder;
import clipcl.clip.image.PillowOps;
import clipcl.clip.image.Preprocess;
import clipcl.tensor.Parallel;
import clipcl.tensor.io.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Images read from files when a batch needs them: whole images (an image folder) or boxes inside them
 * (COCO object crops), decoded by the project's decoder (JPEG, PNG), cropped as Pillow's
 * {@code Image.crop} does and put through OpenAI CLIP's preprocessing (shorter side resized to the
 * model's size with Pillow's bicubic filter, centre crop, normalisation), as the authors' code runs
 * {@code preprocess(image.crop(box))}. Items are decoded in parallel on the worker pool.
 */
public record ImageRegions(List<Region> regions) implements ImageSource {
    /**
     * One item: a file and, for a crop, its pixel box [left, right) x [top, bottom) in an image the
     * annotation says is width x height (checked when decoded, so a wrong file is noticed).
     *
     * @param width 0 for a whole image (no box, no size to check)
     */
    public record Region(Path file, int left, int top, int right, int bottom, int width, int height, String what) {
        public static Region whole(Path file) { return new Region(file, 0, 0, 0, 0, 0, 0, file.toString()); }

        public boolean isWhole() { return width == 0; }

        public int boxWidth() { return right - left; }

        public int boxHeight() { return bottom - top; }
    }

    public ImageRegions {
        regions = List.copyOf(regions);
    }

    @Override
    public int count() { return regions.size(); }

    @Override
    public String describe(int item) { return regions.get(item).what(); }

    @Override
    public void write(int[] items, int side, float[] out) throws IOException {
        int per = 3 * side * side;
        if (out.length < (long) items.length * per) throw new IllegalArgumentException("output holds " + out.length + " floats, " + items.length + " images need " + (long) items.length * per);
        try {
            Parallel.forRange(items.length, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    try {
                        Preprocess.normalize(pixels(items[i], side), side, out, i * per);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The item after crop, resize and centre crop, before normalisation: side x side x 3 RGB bytes. */
    public byte[] pixels(int item, int side) throws IOException {
        Region r = regions.get(item);
        DecodedImage im = ImageDecoder.decode(r.file());
        if (!r.isWhole()) {
            if (im.width() != r.width() || im.height() != r.height()) {
                throw new BadInputException(r.file().toString(), null, "the image is " + im.width() + "x" + im.height() + " but its annotation says "
                        + r.width() + "x" + r.height() + " (" + r.what() + ")");
            }
            im = PillowOps.crop(im, r.top(), r.left(), r.boxHeight(), r.boxWidth());
        }
        return Preprocess.resizeCropRgb(im, side);
    }
}

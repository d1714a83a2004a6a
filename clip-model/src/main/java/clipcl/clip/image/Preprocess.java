package clipcl.clip.image;

import clipcl.tensor.io.InputLimits;
import clipcl.tensor.Parallel;
import clipcl.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * OpenAI CLIP's image transform, as its Python code runs it:
 * {@code Compose([Resize(N, BICUBIC), CenterCrop(N), convert("RGB"), ToTensor(), Normalize(MEAN, STD)])}
 * with torchvision on Pillow images. Resize sets the shorter side to N and the longer to
 * {@code int(N * long / short)}; the crop offset is {@code int(round((size - N) / 2.0))} with Python's
 * round-half-to-even; resizing and cropping happen in the file's own Pillow mode and RGB conversion
 * comes last (see {@link PillowOps}). Output is float32 [3, N, N], channel-first.
 */
public final class Preprocess {
    /** OpenAI's per-channel normalisation (ImageNet-like statistics of its training set). */
    public static final double[] MEAN = {0.48145466, 0.4578275, 0.40821073};
    public static final double[] STD = {0.26862954, 0.26130258, 0.27577711};

    private Preprocess() { }

    /** torchvision 0.14's _compute_resized_output_size for an int size: {height, width}. */
    public static int[] resizedSize(int height, int width, int n) {
        checkSize(n);
        boolean portrait = width <= height;
        int shortSide = portrait ? width : height, longSide = portrait ? height : width;
        // Python: int(n * long / short), true division in double then truncation.
        int newLong = (int) ((double) ((long) n * longSide) / shortSide);
        return portrait ? new int[] {newLong, n} : new int[] {n, newLong};
    }

    /** torchvision's center-crop offset along one side: int(round((size - crop) / 2.0)). */
    public static int cropOffset(int size, int crop) {
        return (int) Math.rint((size - crop) / 2.0);
    }

    /**
     * The pixels ToTensor would see: Resize, CenterCrop and convert("RGB") applied; N x N x 3 bytes.
     */
    public static byte[] resizeCropRgb(DecodedImage im, int n) {
        checkSize(n);
        int[] hw = resizedSize(im.height(), im.width(), n);
        // torchvision returns the image untouched when it already has the target size.
        DecodedImage r = (hw[0] == im.height() && hw[1] == im.width()) ? im : PillowOps.resizeBicubic(im, hw[1], hw[0]);
        DecodedImage c = r;
        if (r.width() != n || r.height() != n) {
            int top, left, h = r.height(), w = r.width();
            if (n > w || n > h) {
                // torchvision pads with 0 (left/top by floor of half the shortfall), then crops centred.
                int padL = n > w ? (n - w) / 2 : 0, padT = n > h ? (n - h) / 2 : 0;
                int pw = w + (n > w ? n - w : 0), ph = h + (n > h ? n - h : 0);
                top = cropOffset(ph, n) - padT;
                left = cropOffset(pw, n) - padL;
            } else {
                top = cropOffset(h, n);
                left = cropOffset(w, n);
            }
            c = PillowOps.crop(r, top, left, n, n);
        }
        return PillowOps.toRgb(c);
    }

    /** ToTensor and Normalize of N x N x 3 RGB bytes into dst[offset ..] as [3, N, N], in float32 as torch does. */
    public static void normalize(byte[] rgb, int n, float[] dst, int offset) {
        int plane = n * n;
        if (rgb.length != plane * 3) throw new IllegalArgumentException("normalize: " + rgb.length + " bytes is not " + n + "x" + n + "x3");
        for (int c = 0; c < 3; c++) {
            float mean = (float) MEAN[c], std = (float) STD[c];
            int o = offset + c * plane;
            for (int i = 0; i < plane; i++) dst[o + i] = ((rgb[3 * i + c] & 0xff) / 255f - mean) / std;
        }
    }

    /** The full transform of a decoded image: float32 [3, N, N]. */
    public static Tensor image(DecodedImage im, int n) {
        float[] out = new float[3 * n * n];
        normalize(resizeCropRgb(im, n), n, out, 0);
        return Tensor.of(out, 3, n, n);
    }

    /** Decodes a file and applies the transform: float32 [3, N, N]. */
    public static Tensor image(Path file, int n) throws IOException {
        return image(ImageDecoder.decode(file), n);
    }

    /**
     * Many files, decoded and transformed in parallel on the worker pool: float32 [B, 3, N, N] in the
     * order given. The first failure is thrown, naming its file.
     */
    public static Tensor batch(List<Path> files, int n) throws IOException {
        checkSize(n);
        int per = 3 * n * n;
        float[] out = new float[Math.multiplyExact(files.size(), per)];
        try {
            Parallel.forRange(files.size(), 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    try {
                        normalize(resizeCropRgb(ImageDecoder.decode(files.get(i)), n), n, out, i * per);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return Tensor.of(out, files.size(), 3, n, n);
    }

    private static void checkSize(int n) {
        if (n <= 0 || n > InputLimits.IMAGE_MAX_SIZE) {
            throw new IllegalArgumentException("preprocess: image size must be between 1 and " + InputLimits.IMAGE_MAX_SIZE + ", got " + n);
        }
    }
}

package clipcl.clip.image;

/**
 * The two steps where libjpeg-turbo (Pillow's decoder) and libjpeg 6b (ImageIO's) part ways for 4:4:0
 * JPEGs, redone on ImageIO's raw YCbCr raster: turbo's h1v2 "fancy" upsampling of the chroma rows
 * (3/4 of the nearer row + 1/4 of the farther, bias 1 above and 2 below, edge rows repeated), then
 * libjpeg's integer YCbCr -> RGB conversion (jdcolor.c, 16 fraction bits).
 */
final class TurboColor {
    private static final int SCALEBITS = 16, ONE_HALF = 1 << (SCALEBITS - 1);
    private static final int[] CR_R = new int[256], CB_B = new int[256], CR_G = new int[256], CB_G = new int[256];

    static {
        for (int i = 0, x = -128; i < 256; i++, x++) {
            CR_R[i] = (int) ((fix(1.40200) * x + ONE_HALF) >> SCALEBITS);
            CB_B[i] = (int) ((fix(1.77200) * x + ONE_HALF) >> SCALEBITS);
            CR_G[i] = (int) (-fix(0.71414) * x);
            CB_G[i] = (int) (-fix(0.34414) * x + ONE_HALF);
        }
    }

    private TurboColor() { }

    private static long fix(double v) {
        return (long) (v * (1L << SCALEBITS) + 0.5);
    }

    /**
     * RGB from ImageIO's YCbCr raster of a 4:4:0 file, whose chroma rows libjpeg 6b has repeated in
     * pairs: row k of the subsampled chroma is raster row 2k.
     * @param ycc h x w x 3 samples (Y, Cb, Cr); returns h x w x 3 RGB bytes
     */
    static byte[] rgbFrom440(int[] ycc, int w, int h) {
        int ch = (h + 1) / 2;
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            int near = y / 2;
            boolean upper = y % 2 == 0;
            int far = upper ? Math.max(0, near - 1) : Math.min(ch - 1, near + 1), bias = upper ? 1 : 2;
            int rowN = 2 * near * w * 3, rowF = 2 * far * w * 3, row = y * w * 3;
            for (int x = 0; x < w; x++) {
                int i = 3 * x;
                int luma = ycc[row + i];
                int cb = (ycc[rowN + i + 1] * 3 + ycc[rowF + i + 1] + bias) >> 2;
                int cr = (ycc[rowN + i + 2] * 3 + ycc[rowF + i + 2] + bias) >> 2;
                out[row + i] = clamp(luma + CR_R[cr]);
                out[row + i + 1] = clamp(luma + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
                out[row + i + 2] = clamp(luma + CB_B[cb]);
            }
        }
        return out;
    }

    private static byte clamp(int v) {
        return (byte) (v < 0 ? 0 : Math.min(255, v));
    }
}

package clipcl.clip.image;

/**
 * Pillow's resampling kernels, reproduced bit for bit (libImaging/Resample.c and the nearest-neighbour
 * scaling of Geometry.c). Bicubic is Keys' cubic with a = -0.5, support 2 widened by the scale when
 * downscaling (antialiasing), taps normalised to sum 1 per output pixel. The 8-bit path turns the taps
 * into fixed point with 22 fraction bits and rounds and clips to 0..255 after each pass; the 32-bit
 * integer path (mode I) accumulates in double and rounds half away from zero. Horizontal pass first,
 * each pass skipped when its dimension does not change, exactly as Pillow does, because the
 * intermediate rounding makes the order visible in the result.
 */
public final class PillowResample {
    /** 32 - 8 - 2: 8 bits of sample, 2 bits of headroom for taps summing above 1 or below 0. */
    static final int PRECISION_BITS = 22;

    private PillowResample() { }

    /** Taps of one resampling direction: output i reads inputs [bounds[2i], bounds[2i] + bounds[2i+1]). */
    record Taps(int ksize, int[] bounds, double[] weights) {
        int start(int i) { return bounds[2 * i]; }
        int count(int i) { return bounds[2 * i + 1]; }
    }

    /** Keys' cubic convolution kernel with a = -0.5 (Pillow's bicubic_filter). */
    static double bicubic(double x) {
        final double a = -0.5;
        if (x < 0.0) x = -x;
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }

    /** Pillow's precompute_coeffs for the whole input range [0, inSize) mapped onto outSize pixels. */
    static Taps bicubicTaps(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterscale = Math.max(scale, 1.0);
        double support = 2.0 * filterscale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] bounds = new int[outSize * 2];
        double[] kk = new double[outSize * ksize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ww = 0.0, ss = 1.0 / filterscale;
            int xmin = Math.max(0, (int) (center - support + 0.5));
            int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
            int k = xx * ksize;
            for (int x = 0; x < xmax; x++) {
                double w = bicubic((x + xmin - center + 0.5) * ss);
                kk[k + x] = w;
                ww += w;
            }
            if (ww != 0.0) for (int x = 0; x < xmax; x++) kk[k + x] /= ww;
            bounds[2 * xx] = xmin;
            bounds[2 * xx + 1] = xmax;
        }
        return new Taps(ksize, bounds, kk);
    }

    /** Pillow's normalize_coeffs_8bpc: taps in fixed point, rounded half away from zero. */
    static int[] fixedPoint(double[] kk) {
        int[] out = new int[kk.length];
        double one = 1 << PRECISION_BITS;
        for (int i = 0; i < kk.length; i++) out[i] = kk[i] < 0 ? (int) (-0.5 + kk[i] * one) : (int) (0.5 + kk[i] * one);
        return out;
    }

    /** Pillow's clip8: drop the fraction bits, clamp to a byte. */
    static int clip8(int acc) {
        int v = acc >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }

    /**
     * Bicubic resize of an 8-bit image with {@code bands} interleaved samples per pixel.
     * @param src h x w x bands bytes; returns outH x outW x bands bytes
     */
    public static byte[] bicubic8(byte[] src, int w, int h, int bands, int outW, int outH) {
        checkSizes(src.length, w, h, bands, outW, outH);
        Taps vert = bicubicTaps(h, outH);
        boolean needH = outW != w, needV = outH != h;
        byte[] cur = src;
        int curW = w, rowOffset = 0;
        if (needH) {
            // Only the rows the vertical pass will read, as Pillow does; the result is the same.
            int first = vert.start(0), last = vert.start(outH - 1) + vert.count(outH - 1);
            cur = horizontal8(src, w, bands, first, last - first, bicubicTaps(w, outW), outW);
            curW = outW;
            rowOffset = first;
        }
        if (needV) cur = vertical8(cur, curW, bands, rowOffset, vert, outH);
        return cur == src ? src.clone() : cur;
    }

    private static byte[] horizontal8(byte[] src, int w, int bands, int firstRow, int rows, Taps t, int outW) {
        int[] k = fixedPoint(t.weights());
        byte[] out = new byte[rows * outW * bands];
        int half = 1 << (PRECISION_BITS - 1);
        for (int y = 0; y < rows; y++) {
            int inRow = (y + firstRow) * w * bands, outRow = y * outW * bands;
            for (int xx = 0; xx < outW; xx++) {
                int xmin = t.start(xx), n = t.count(xx), kb = xx * t.ksize();
                for (int b = 0; b < bands; b++) {
                    int acc = half;
                    int p = inRow + xmin * bands + b;
                    for (int x = 0; x < n; x++, p += bands) acc += (src[p] & 0xff) * k[kb + x];
                    out[outRow + xx * bands + b] = (byte) clip8(acc);
                }
            }
        }
        return out;
    }

    private static byte[] vertical8(byte[] src, int w, int bands, int rowOffset, Taps t, int outH) {
        int[] k = fixedPoint(t.weights());
        int stride = w * bands;
        byte[] out = new byte[outH * stride];
        int[] acc = new int[stride];
        int half = 1 << (PRECISION_BITS - 1);
        for (int yy = 0; yy < outH; yy++) {
            int ymin = t.start(yy) - rowOffset, n = t.count(yy), kb = yy * t.ksize();
            java.util.Arrays.fill(acc, half);
            for (int y = 0; y < n; y++) {
                int kv = k[kb + y], row = (ymin + y) * stride;
                for (int i = 0; i < stride; i++) acc[i] += (src[row + i] & 0xff) * kv;
            }
            int o = yy * stride;
            for (int i = 0; i < stride; i++) out[o + i] = (byte) clip8(acc[i]);
        }
        return out;
    }

    /** Pillow's ROUND_UP: half away from zero. */
    static int roundUp(double f) {
        return (int) (f >= 0.0 ? f + 0.5 : f - 0.5);
    }

    /** Bicubic resize of a one-band 32-bit integer image (Pillow mode I): double taps, rounding per pass. */
    public static int[] bicubic32(int[] src, int w, int h, int outW, int outH) {
        checkSizes(src.length, w, h, 1, outW, outH);
        Taps vert = bicubicTaps(h, outH);
        int[] cur = src;
        int curW = w, rowOffset = 0;
        if (outW != w) {
            int first = vert.start(0), last = vert.start(outH - 1) + vert.count(outH - 1);
            Taps t = bicubicTaps(w, outW);
            int rows = last - first;
            int[] tmp = new int[rows * outW];
            for (int y = 0; y < rows; y++) {
                int inRow = (y + first) * w;
                for (int xx = 0; xx < outW; xx++) {
                    int xmin = t.start(xx), n = t.count(xx), kb = xx * t.ksize();
                    double ss = 0.0;
                    for (int x = 0; x < n; x++) ss += src[inRow + xmin + x] * t.weights()[kb + x];
                    tmp[y * outW + xx] = roundUp(ss);
                }
            }
            cur = tmp;
            curW = outW;
            rowOffset = first;
        }
        if (outH != h) {
            int[] out = new int[outH * curW];
            for (int yy = 0; yy < outH; yy++) {
                int ymin = vert.start(yy) - rowOffset, n = vert.count(yy), kb = yy * vert.ksize();
                for (int xx = 0; xx < curW; xx++) {
                    double ss = 0.0;
                    for (int y = 0; y < n; y++) ss += cur[(ymin + y) * curW + xx] * vert.weights()[kb + y];
                    out[yy * curW + xx] = roundUp(ss);
                }
            }
            cur = out;
        }
        return cur == src ? src.clone() : cur;
    }

    /**
     * Pillow's nearest-neighbour resize (ImagingScaleAffine): source position accumulated in double from
     * the pixel centre, truncated; pixels that fall outside stay 0.
     */
    public static byte[] nearest8(byte[] src, int w, int h, int bands, int outW, int outH) {
        checkSizes(src.length, w, h, bands, outW, outH);
        double ax = (double) w / outW, ay = (double) h / outH;
        int[] xin = new int[outW];
        double xo = ax * 0.5;
        for (int x = 0; x < outW; x++) {
            xin[x] = coord(xo);
            xo += ax;
        }
        byte[] out = new byte[outH * outW * bands];
        double yo = ay * 0.5;
        for (int y = 0; y < outH; y++) {
            int yi = coord(yo);
            yo += ay;
            if (yi < 0 || yi >= h) continue;
            for (int x = 0; x < outW; x++) {
                if (xin[x] < 0 || xin[x] >= w) continue;
                System.arraycopy(src, (yi * w + xin[x]) * bands, out, (y * outW + x) * bands, bands);
            }
        }
        return out;
    }

    private static int coord(double v) {
        return v < 0.0 ? -1 : (int) v;
    }

    private static void checkSizes(int length, int w, int h, int bands, int outW, int outH) {
        if (w <= 0 || h <= 0 || outW <= 0 || outH <= 0) {
            throw new IllegalArgumentException("resize " + w + "x" + h + " -> " + outW + "x" + outH + ": sizes must be positive");
        }
        if ((long) w * h * bands != length) {
            throw new IllegalArgumentException("resize: " + length + " samples is not " + w + "x" + h + "x" + bands);
        }
    }
}

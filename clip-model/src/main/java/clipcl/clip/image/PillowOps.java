package clipcl.clip.image;

/**
 * Pillow's Image.resize (bicubic), Image.crop and Image.convert("RGB") on {@link DecodedImage}s, with the
 * per-mode behaviour OpenAI's transform inherits from Pillow: palette and bilevel images resize with
 * nearest neighbour whatever filter is asked for; LA and RGBA resize premultiplied by alpha (then
 * un-premultiplied); mode I resizes in the 32-bit path; conversion to RGB drops alpha without
 * compositing, looks palette entries up, replicates grey, and clips I to 0..255.
 */
public final class PillowOps {
    private PillowOps() { }

    /** Image.resize((outW, outH), Resampling.BICUBIC) in the image's own mode. */
    public static DecodedImage resizeBicubic(DecodedImage im, int outW, int outH) {
        int w = im.width(), h = im.height(), bands = im.mode().bands();
        if (outW == w && outH == h) return copy(im);
        return switch (im.mode()) {
            case BILEVEL, P -> im.withPixels(outW, outH, PillowResample.nearest8(im.samples(), w, h, bands, outW, outH), null);
            case I -> im.withPixels(outW, outH, null, PillowResample.bicubic32(im.wide(), w, h, outW, outH));
            case LA, RGBA -> {
                byte[] pre = premultiply(im.samples(), bands);
                byte[] r = PillowResample.bicubic8(pre, w, h, bands, outW, outH);
                yield im.withPixels(outW, outH, unpremultiply(r, bands), null);
            }
            case L, RGB, CMYK -> im.withPixels(outW, outH, PillowResample.bicubic8(im.samples(), w, h, bands, outW, outH), null);
        };
    }

    private static DecodedImage copy(DecodedImage im) {
        return im.withPixels(im.width(), im.height(), im.samples() == null ? null : im.samples().clone(), im.wide() == null ? null : im.wide().clone());
    }

    /** Pillow's MULDIV255: a * b / 255 rounded, in integers. */
    static int mulDiv255(int a, int b) {
        int tmp = a * b + 128;
        return ((tmp >> 8) + tmp) >> 8;
    }

    /** RGBA -> RGBa / LA -> La (Convert.c rgbA2rgba, lA2la): colour samples times alpha. */
    static byte[] premultiply(byte[] s, int bands) {
        byte[] out = s.clone();
        for (int p = 0; p < s.length; p += bands) {
            int alpha = s[p + bands - 1] & 0xff;
            for (int c = 0; c < bands - 1; c++) out[p + c] = (byte) mulDiv255(s[p + c] & 0xff, alpha);
        }
        return out;
    }

    /** RGBa -> RGBA / La -> LA (Convert.c rgba2rgbA, la2lA): divide by alpha unless it is 0 or 255. */
    static byte[] unpremultiply(byte[] s, int bands) {
        byte[] out = s.clone();
        for (int p = 0; p < s.length; p += bands) {
            int alpha = s[p + bands - 1] & 0xff;
            if (alpha == 0 || alpha == 255) continue;
            for (int c = 0; c < bands - 1; c++) out[p + c] = (byte) Math.min(255, (255 * (s[p + c] & 0xff)) / alpha);
        }
        return out;
    }

    /**
     * Image.crop((left, top, left + cw, top + ch)): pixels outside the image are 0 in the image's mode
     * (torchvision pads with 0 before cropping when the crop is larger than the image).
     */
    public static DecodedImage crop(DecodedImage im, int top, int left, int ch, int cw) {
        if (ch <= 0 || cw <= 0) throw new IllegalArgumentException("crop size must be positive, got " + cw + "x" + ch);
        int w = im.width(), h = im.height(), bands = im.mode().bands();
        if (top == 0 && left == 0 && ch == h && cw == w) return copy(im);
        boolean wideMode = im.mode() == PilMode.I;
        byte[] s = wideMode ? null : new byte[ch * cw * bands];
        int[] wd = wideMode ? new int[ch * cw] : null;
        int x0 = Math.max(0, left), x1 = Math.min(w, left + cw);
        for (int y = 0; y < ch; y++) {
            int sy = top + y;
            if (sy < 0 || sy >= h || x1 <= x0) continue;
            int from = (sy * w + x0) * bands, to = (y * cw + (x0 - left)) * bands, n = (x1 - x0) * bands;
            if (wideMode) System.arraycopy(im.wide(), from, wd, to, n);
            else System.arraycopy(im.samples(), from, s, to, n);
        }
        return im.withPixels(cw, ch, s, wd);
    }

    /** Image.convert("RGB"): h x w x 3 bytes. */
    public static byte[] toRgb(DecodedImage im) {
        int n = im.width() * im.height();
        byte[] out = new byte[n * 3];
        byte[] s = im.samples();
        switch (im.mode()) {
            case RGB -> System.arraycopy(s, 0, out, 0, out.length);
            case RGBA -> {
                for (int i = 0; i < n; i++) System.arraycopy(s, 4 * i, out, 3 * i, 3);
            }
            case L, BILEVEL -> {
                for (int i = 0; i < n; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = s[i];
            }
            case LA -> {
                for (int i = 0; i < n; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = s[2 * i];
            }
            case P -> {
                byte[] pal = im.palette();
                for (int i = 0; i < n; i++) System.arraycopy(pal, 3 * (s[i] & 0xff), out, 3 * i, 3);
            }
            case I -> {
                int[] wd = im.wide();
                for (int i = 0; i < n; i++) {
                    byte v = (byte) Math.max(0, Math.min(255, wd[i]));
                    out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = v;
                }
            }
            case CMYK -> {
                // Pillow's cmyk2rgb: each colour scaled by the key's complement, integer rounding as MULDIV255.
                for (int i = 0; i < n; i++) {
                    int nk = 255 - (s[4 * i + 3] & 0xff);
                    for (int c = 0; c < 3; c++) {
                        int v = nk - mulDiv255(s[4 * i + c] & 0xff, nk);
                        out[3 * i + c] = (byte) Math.max(0, Math.min(255, v));
                    }
                }
            }
        }
        return out;
    }
}

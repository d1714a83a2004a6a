package clipcl.clip.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What the JPEG markers before the first scan say: frame size, components with their sampling factors,
 * the JFIF and Adobe markers (which decide between YCbCr and RGB as libjpeg does), arithmetic coding,
 * and where the ICC profile segments are so they can be dropped.
 */
record JpegHeader(int width, int height, int[] ids, int[] hSamp, int[] vSamp, boolean jfif, int adobeTransform,
                  boolean arithmetic, boolean hasIcc) {

    /** Parses the markers up to the first start-of-scan; null when there is no frame header. */
    static JpegHeader parse(byte[] b) {
        int p = 2, width = 0, height = 0, adobe = -1;
        int[] ids = null, hs = null, vs = null;
        boolean jfif = false, arith = false, icc = false;
        while (p + 4 <= b.length && (b[p] & 0xff) == 0xff) {
            int m = b[p + 1] & 0xff;
            if (m == 0xff) { p++; continue; }
            if (m == 0xda || m == 0xd9) break;
            if ((m >= 0xd0 && m <= 0xd7) || m == 0x01) { p += 2; continue; }
            int len = u16(b, p + 2);
            if (len < 2 || p + 2 + len > b.length) break;
            int q = p + 4;
            if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc && len >= 8) {
                arith = m >= 0xc9;
                height = u16(b, q + 1);
                width = u16(b, q + 3);
                int n = b[q + 5] & 0xff;
                if (len < 8 + 3 * n) break;
                ids = new int[n];
                hs = new int[n];
                vs = new int[n];
                for (int c = 0; c < n; c++) {
                    ids[c] = b[q + 6 + 3 * c] & 0xff;
                    hs[c] = (b[q + 7 + 3 * c] & 0xff) >> 4;
                    vs[c] = b[q + 7 + 3 * c] & 0x0f;
                }
            } else if (m == 0xe0 && len >= 7 && text(b, q, 5).equals("JFIF\0")) {
                jfif = true;
            } else if (m == 0xee && len >= 14 && text(b, q, 5).equals("Adobe")) {
                adobe = b[q + 11] & 0xff;
            } else if (isIcc(b, p, m, len)) {
                icc = true;
            }
            p += 2 + len;
        }
        return ids == null ? null : new JpegHeader(width, height, ids, hs, vs, jfif, adobe, arith, icc);
    }

    /** libjpeg's guess of a 3-component file's colour space (jdapimin.c default_decompress_parms). */
    boolean isYCbCr() {
        if (ids.length != 3) return false;
        if (jfif) return true;
        if (adobeTransform >= 0) return adobeTransform != 0;
        return !(ids[0] == 'R' && ids[1] == 'G' && ids[2] == 'B');
    }

    /**
     * True when both chroma components are subsampled vertically by 2 only (4:4:0): libjpeg-turbo, which
     * Pillow uses, interpolates such rows ("fancy" h1v2 upsampling) where libjpeg 6b inside ImageIO
     * repeats them.
     */
    boolean verticalOnlyChroma() {
        if (ids.length != 3 || !isYCbCr()) return false;
        int maxH = Math.max(hSamp[0], Math.max(hSamp[1], hSamp[2])), maxV = Math.max(vSamp[0], Math.max(vSamp[1], vSamp[2]));
        if (hSamp[0] != maxH || vSamp[0] != maxV) return false;
        for (int c = 1; c < 3; c++) if (hSamp[c] != maxH || 2 * vSamp[c] != maxV) return false;
        return true;
    }

    /** The file without its APP2 ICC_PROFILE segments (ImageIO would colour-convert through them; Pillow does not). */
    static byte[] withoutIccProfile(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        out.write(b, 0, 2);
        int p = 2;
        boolean removed = false;
        while (p + 4 <= b.length && (b[p] & 0xff) == 0xff) {
            int m = b[p + 1] & 0xff;
            if (m == 0xff) { p++; continue; }
            if (m == 0xda || m == 0xd9 || (m >= 0xd0 && m <= 0xd7) || m == 0x01) break;
            int len = u16(b, p + 2);
            if (len < 2 || p + 2 + len > b.length) break;
            if (isIcc(b, p, m, len)) removed = true;
            else out.write(b, p, 2 + len);
            p += 2 + len;
        }
        if (!removed) return b;
        out.write(b, p, b.length - p);
        return out.toByteArray();
    }

    private static boolean isIcc(byte[] b, int p, int m, int len) {
        return m == 0xe2 && len >= 14 && text(b, p + 4, 12).equals("ICC_PROFILE\0");
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    private static String text(byte[] b, int from, int n) {
        return new String(b, from, n, StandardCharsets.ISO_8859_1);
    }
}

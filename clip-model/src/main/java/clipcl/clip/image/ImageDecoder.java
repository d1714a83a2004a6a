package clipcl.clip.image;

import clipcl.tensor.io.BadInputException;
import clipcl.tensor.io.InputLimits;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG and JPEG files into the Pillow mode Pillow would open them in (see {@link PilMode}), with
 * javax.imageio doing the decompression. The mode comes from the PNG header, not from what ImageIO makes
 * of it: 16-bit RGB/RGBA/LA keep the high byte of each sample (Pillow's "RGB;16B" unpacking), 16-bit grey
 * becomes mode I with the full value, 1/2/4-bit grey is scaled to 0..255, tRNS chunks change nothing.
 * JPEGs are decoded with their embedded ICC profiles removed first, because ImageIO would otherwise
 * colour-convert to sRGB and Pillow does not. ImageIO's libjpeg 6b and Pillow's libjpeg-turbo give
 * identical pixels except for 4:4:0 chroma subsampling, which {@link TurboColor} redoes as turbo does;
 * arithmetic-coded JPEGs (which ImageIO cannot read) are an error.
 */
public final class ImageDecoder {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** Pillow refuses images above twice Image.MAX_IMAGE_PIXELS (DecompressionBombError); so do we, before decoding. */
    static final long MAX_PIXELS = InputLimits.IMAGE_MAX_PIXELS;

    private ImageDecoder() { }

    /** Reads and decodes a file; every error names it. */
    public static DecodedImage decode(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        } catch (IOException e) {
            throw new IOException(file + ": cannot read: " + e.getMessage(), e);
        }
        return decode(bytes, file.toString());
    }

    /**
     * Decodes an in-memory PNG or JPEG; name is used in error messages. Whatever is wrong with the
     * bytes, the decoder's own message included, comes out as a {@link BadInputException} naming it.
     */
    public static DecodedImage decode(byte[] bytes, String name) throws IOException {
        try {
            if (startsWith(bytes, PNG_MAGIC)) return decodePng(bytes, name);
            if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) return decodeJpeg(bytes, name);
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (msg.startsWith(name + ": ")) throw new BadInputException(name, null, msg.substring(name.length() + 2), e);
            throw new BadInputException(name, null, "corrupt or unsupported image: " + msg, e);
        }
        throw new BadInputException(name, null, unsupportedKind(bytes) + " (clipcl reads PNG and JPEG images)");
    }

    private static String unsupportedKind(byte[] b) {
        if (b.length == 0) return "empty file";
        if (startsWith(b, "GIF8".getBytes(StandardCharsets.US_ASCII))) return "GIF images are not supported";
        if (startsWith(b, "BM".getBytes(StandardCharsets.US_ASCII))) return "BMP images are not supported";
        if (b.length >= 12 && startsWith(b, "RIFF".getBytes(StandardCharsets.US_ASCII)) && new String(b, 8, 4, StandardCharsets.US_ASCII).equals("WEBP")) {
            return "WebP images are not supported";
        }
        if (startsWith(b, new byte[] {'I', 'I', 42, 0}) || startsWith(b, new byte[] {'M', 'M', 0, 42})) return "TIFF images are not supported";
        return "not a PNG or JPEG image";
    }

    private static DecodedImage decodePng(byte[] bytes, String name) throws IOException {
        if (bytes.length < 33 || !new String(bytes, 12, 4, StandardCharsets.US_ASCII).equals("IHDR")) {
            throw new IOException(name + ": corrupt PNG: no IHDR chunk");
        }
        // Pillow checks the IHDR's CRC and refuses a mismatch; a flipped bit in the size or colour
        // type would otherwise decode as some other image.
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, 12, 17);
        if (crc.getValue() != readInt(bytes, 29)) {
            throw new BadInputException(name, "IHDR", String.format("broken PNG: CRC 0x%08x stored, 0x%08x computed", readInt(bytes, 29), crc.getValue()));
        }
        int bitDepth = bytes[24] & 0xff, colorType = bytes[25] & 0xff;
        checkPixels(name, readInt(bytes, 16), readInt(bytes, 20));
        PilMode mode = switch (colorType) {
            case 0 -> bitDepth == 1 ? PilMode.BILEVEL : bitDepth == 16 ? PilMode.I : PilMode.L;
            case 2 -> PilMode.RGB;
            case 3 -> PilMode.P;
            case 4 -> PilMode.LA;
            case 6 -> PilMode.RGBA;
            default -> throw new IOException(name + ": corrupt PNG: colour type " + colorType);
        };
        BufferedImage img = read(bytes, "png", name, List.of());
        Raster r = img.getRaster();
        int w = img.getWidth(), h = img.getHeight(), bands = mode.bands();
        if (r.getNumBands() < bands) {
            throw new IOException(name + ": PNG colour type " + colorType + " decoded to " + r.getNumBands() + " bands");
        }
        int rawBands = r.getNumBands();
        int[] row = new int[w * rawBands];
        if (mode == PilMode.I) {
            int[] wide = new int[w * h];
            for (int y = 0; y < h; y++) {
                r.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) wide[y * w + x] = row[x * rawBands];
            }
            return new DecodedImage(mode, w, h, null, wide, null);
        }
        // Sample scaling: 16-bit keeps the high byte; 1/2/4-bit grey stretches to 0..255; indices stay.
        int shift = bitDepth == 16 ? 8 : 0;
        int mul = (colorType == 0 && bitDepth < 8) ? 255 / ((1 << bitDepth) - 1) : 1;
        byte[] s = new byte[w * h * bands];
        for (int y = 0; y < h; y++) {
            r.getPixels(0, y, w, 1, row);
            int o = y * w * bands;
            for (int x = 0; x < w; x++) {
                for (int b = 0; b < bands; b++) s[o + x * bands + b] = (byte) ((row[x * rawBands + b] >> shift) * mul);
            }
        }
        byte[] palette = null;
        if (mode == PilMode.P) {
            if (!(img.getColorModel() instanceof IndexColorModel icm)) throw new IOException(name + ": palette PNG decoded without a palette");
            palette = DecodedImage.greyRampPalette();
            // ImageIO pads a short PLTE with its last colour; Pillow leaves its grey ramp beyond the file's entries.
            int entries = Math.min(Math.min(256, icm.getMapSize()), pngPaletteEntries(bytes));
            for (int i = 0; i < entries; i++) {
                palette[3 * i] = (byte) icm.getRed(i);
                palette[3 * i + 1] = (byte) icm.getGreen(i);
                palette[3 * i + 2] = (byte) icm.getBlue(i);
            }
        }
        return new DecodedImage(mode, w, h, s, null, palette);
    }

    /** Colours in the PLTE chunk (its length / 3); 256 when it cannot be found. */
    private static int pngPaletteEntries(byte[] b) {
        int p = 8;
        while (p + 8 <= b.length) {
            long len = readInt(b, p);
            String type = new String(b, p + 4, 4, StandardCharsets.US_ASCII);
            if (type.equals("PLTE")) return (int) (len / 3);
            if (type.equals("IDAT") || len > b.length) break;
            p += 12 + (int) len;
        }
        return 256;
    }

    private static DecodedImage decodeJpeg(byte[] bytes, String name) throws IOException {
        JpegHeader hdr = JpegHeader.parse(bytes);
        if (hdr == null) throw new IOException(name + ": corrupt JPEG: no frame header before the image data");
        checkPixels(name, hdr.width(), hdr.height());
        if (hdr.arithmetic()) throw new IOException(name + ": arithmetic-coded JPEG, which Java's ImageIO cannot decode");
        List<String> warnings = new ArrayList<>();
        byte[] data = hdr.hasIcc() ? JpegHeader.withoutIccProfile(bytes) : bytes;
        if (hdr.verticalOnlyChroma()) {
            Raster ycc = readRaster(data, name, warnings);
            checkWarnings(warnings, name);
            int w = ycc.getWidth(), h = ycc.getHeight();
            return DecodedImage.of8(PilMode.RGB, w, h, TurboColor.rgbFrom440(ycc.getPixels(0, 0, w, h, (int[]) null), w, h));
        }
        BufferedImage img = read(data, "jpeg", name, warnings);
        checkWarnings(warnings, name);
        Raster r = img.getRaster();
        int w = img.getWidth(), h = img.getHeight(), bands = r.getNumBands();
        PilMode mode = switch (bands) {
            case 1 -> PilMode.L;
            case 3 -> PilMode.RGB;
            case 4 -> {
                if (img.getColorModel().getColorSpace().getType() != java.awt.color.ColorSpace.TYPE_CMYK) {
                    throw new IOException(name + ": unsupported 4-channel JPEG (not CMYK)");
                }
                yield PilMode.CMYK;
            }
            default -> throw new IOException(name + ": unsupported JPEG with " + bands + " channels");
        };
        byte[] s = new byte[w * h * bands];
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            r.getPixels(0, y, w, 1, row);
            int o = y * w * bands;
            for (int i = 0; i < row.length; i++) s[o + i] = (byte) row[i];
        }
        return DecodedImage.of8(mode, w, h, s);
    }

    private static void checkWarnings(List<String> warnings, String name) throws IOException {
        for (String wmsg : warnings) {
            // libjpeg pads a truncated file with grey and only warns; Pillow refuses such files.
            if (wmsg.toLowerCase(java.util.Locale.ROOT).contains("premature end")) throw new IOException(name + ": truncated JPEG (" + wmsg + ")");
        }
    }

    /** ImageIO's raw JPEG raster: YCbCr after libjpeg's upsampling, before colour conversion. */
    private static Raster readRaster(byte[] bytes, String name, List<String> warnings) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener((src, msg) -> warnings.add(msg));
            Raster r = reader.readRaster(0, null);
            if (r.getNumBands() != 3) throw new IOException(name + ": 4:4:0 JPEG decoded to " + r.getNumBands() + " bands");
            return r;
        } finally {
            reader.dispose();
        }
    }

    private static BufferedImage read(byte[] bytes, String format, String name, List<String> warnings) throws IOException {
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format);
        if (!it.hasNext()) throw new IOException(name + ": no " + format + " decoder in this Java runtime (module java.desktop missing?)");
        ImageReader reader = it.next();
        try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener((src, msg) -> warnings.add(msg));
            BufferedImage img = reader.read(0);
            if (img == null) throw new IOException(name + ": " + format + " decoder returned no image");
            return img;
        } finally {
            reader.dispose();
        }
    }

    private static void checkPixels(String name, long w, long h) {
        if (w <= 0 || h <= 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) throw new BadInputException(name, "size", "image of " + w + "x" + h + " pixels");
        if (w * h > MAX_PIXELS) {
            throw new BadInputException(name, "size", "image of " + w + "x" + h + " pixels is above the " + MAX_PIXELS + "-pixel limit (Pillow's decompression-bomb limit)");
        }
    }

    private static long readInt(byte[] b, int i) {
        return ((long) (b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[i] != prefix[i]) return false;
        return true;
    }
}

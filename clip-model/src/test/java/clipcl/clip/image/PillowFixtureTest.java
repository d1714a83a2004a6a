package clipcl.clip.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.Tensor;
import clipcl.tensor.io.Json;
import clipcl.tensor.io.Npy;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Compares decoding, Pillow-mode resizing and the whole transform with what Pillow 9.4 and torchvision
 * 0.14 produced for the fixtures of make_image_fixtures.py. PNGs must match exactly (uint8 equal, floats
 * within 1e-6). JPEGs go through a different decoder (ImageIO's libjpeg 6b against Pillow's
 * libjpeg-turbo 2.1); the test prints the largest difference per file and bounds it by
 * {@link #JPEG_TOLERANCE}. Measured: 0 on every fixture (baseline 4:2:0/4:2:2/4:4:4/4:1:1, progressive,
 * grey, CMYK, Lab ICC profile, and 4:4:0 once {@link TurboColor} redoes turbo's upsampling).
 */
class PillowFixtureTest {
    /** Largest allowed |ImageIO - libjpeg-turbo| in a decoded or resized JPEG sample (0..255): measured 0. */
    static final int JPEG_TOLERANCE = 0;
    static final Path DIR = fixtureDir();
    static final List<String> MEASURED = new ArrayList<>();

    static Path fixtureDir() {
        try {
            return Path.of(PillowFixtureTest.class.getResource("/image/manifest.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases() throws IOException {
        Map<String, Object> m = Json.parseObject(Files.readString(DIR.resolve("manifest.json")));
        return (List<Map<String, Object>>) m.get("cases");
    }

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> everyFixture() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> c : cases()) {
            String file = (String) c.get("file");
            boolean jpeg = file.endsWith(".jpg");
            tests.add(DynamicTest.dynamicTest(file, () -> {
                DecodedImage im = ImageDecoder.decode(DIR.resolve(file));
                assertEquals(c.get("mode"), im.mode().pillowName(), file + ": mode");
                assertEquals(((Number) c.get("width")).intValue(), im.width(), file + ": width");
                assertEquals(((Number) c.get("height")).intValue(), im.height(), file + ": height");
                int worst = 0;
                if (c.containsKey("decoded")) {
                    int d = maxDiff(samples(im), npyInts((String) c.get("decoded")));
                    MEASURED.add(String.format("%-28s decode        max |diff| %d", file, d));
                    worst = Math.max(worst, d);
                }
                for (Map<String, Object> r : (List<Map<String, Object>>) c.get("resize")) {
                    int w = ((Number) r.get("width")).intValue(), h = ((Number) r.get("height")).intValue();
                    DecodedImage out = PillowOps.resizeBicubic(im, w, h);
                    int d = maxDiff(samples(out), npyInts((String) r.get("file")));
                    if (jpeg) MEASURED.add(String.format("%-28s resize %dx%d max |diff| %d", file, w, h, d));
                    else assertEquals(0, d, file + ": Pillow resize to " + w + "x" + h + " differs by up to " + d);
                    worst = Math.max(worst, d);
                }
                for (Map.Entry<String, Object> e : ((Map<String, Object>) c.get("pipe")).entrySet()) {
                    int n = Integer.parseInt(e.getKey());
                    int d = maxDiff(unsigned(Preprocess.resizeCropRgb(im, n)), npyInts((String) e.getValue()));
                    if (jpeg) MEASURED.add(String.format("%-28s pipeline N=%d max |diff| %d", file, n, d));
                    else assertEquals(0, d, file + ": resize+crop+RGB at N=" + n + " differs by up to " + d);
                    worst = Math.max(worst, d);
                }
                for (Map.Entry<String, Object> e : ((Map<String, Object>) c.get("norm")).entrySet()) {
                    int n = Integer.parseInt(e.getKey());
                    float[] got = Preprocess.image(im, n).toFloatArray();
                    Tensor want = Npy.read(DIR.resolve((String) e.getValue()));
                    assertArrayEquals(new int[] {3, n, n}, want.dims());
                    float[] exp = want.toFloatArray();
                    double d = 0;
                    for (int i = 0; i < exp.length; i++) d = Math.max(d, Math.abs(got[i] - exp[i]));
                    MEASURED.add(String.format("%-28s normalised N=%d max |diff| %.2e", file, n, d));
                    if (!jpeg) assertTrue(d <= 1e-6, file + ": normalised N=" + n + " differs by " + d);
                }
                assertTrue(worst <= JPEG_TOLERANCE, file + ": differs from Pillow by " + worst + " > " + JPEG_TOLERANCE);
            }));
        }
        return tests.stream();
    }

    @AfterAll
    static void report() {
        System.out.println("Measured against Pillow 9.4 / torchvision 0.14 (JPEG: ImageIO vs libjpeg-turbo):");
        MEASURED.forEach(s -> System.out.println("  " + s));
    }

    static int[] samples(DecodedImage im) {
        return im.mode() == PilMode.I ? im.wide() : unsigned(im.samples());
    }

    static int[] unsigned(byte[] b) {
        int[] v = new int[b.length];
        for (int i = 0; i < b.length; i++) v[i] = b[i] & 0xff;
        return v;
    }

    static int[] npyInts(String name) throws IOException {
        return Npy.read(DIR.resolve(name)).toIntArray();
    }

    static int maxDiff(int[] got, int[] want) {
        assertEquals(want.length, got.length, "sample count");
        int d = 0;
        for (int i = 0; i < got.length; i++) d = Math.max(d, Math.abs(got[i] - want[i]));
        return d;
    }
}

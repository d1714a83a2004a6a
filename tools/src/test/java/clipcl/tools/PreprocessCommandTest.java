package clipcl.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import clipcl.clip.image.Preprocess;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.Npy;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

class PreprocessCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream errStream = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private int run(String... args) throws Exception {
        return Cli.call(new PreprocessCommand(errStream), args);
    }

    private Path png(String name, int w, int h, int seed) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, (x * 7 + y * 3 + seed) * 0x010305 & 0xffffff);
        Path p = dir.resolve(name);
        ImageIO.write(img, name.endsWith(".jpg") ? "jpeg" : "png", p.toFile());
        return p;
    }

    @Test
    void writesOneNpyPerImageMatchingTheLibrary() throws Exception {
        List<String> args = new ArrayList<>(List.of("--size", "16", "--output-dir", dir.resolve("out").toString()));
        List<Path> imgs = new ArrayList<>();
        for (int i = 0; i < 25; i++) imgs.add(png("img" + i + (i % 2 == 0 ? ".png" : ".jpg"), 20 + i, 31 - i / 2, i));
        imgs.forEach(p -> args.add(p.toString()));
        assertEquals(0, run(args.toArray(String[]::new)));
        for (int i = 0; i < imgs.size(); i++) {
            Tensor got = Npy.read(dir.resolve("out").resolve("img" + i + ".npy"));
            assertArrayEquals(new int[] {3, 16, 16}, got.dims());
            assertArrayEquals(Preprocess.image(imgs.get(i), 16).toFloatArray(), got.toFloatArray(), 0f);
        }
        String err = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(err.contains("25/25 images"), err);
        assertTrue(err.contains("preprocessed 25 images"), err);
    }

    @Test
    void matchesTorchvisionOnAFixture() throws Exception {
        Path fixtures = Path.of("..", "clip-model", "src", "test", "resources", "image");
        Path src = fixtures.resolve("rgb_120x90.png");
        assumeTrue(Files.exists(src), "fixtures of clip-model not found from " + Path.of("").toAbsolutePath());
        Path out = dir.resolve("o");
        assertEquals(0, run(new String[] {"--size=24", "--output-dir", out.toString(), src.toString()}));
        float[] got = Npy.read(out.resolve("rgb_120x90.npy")).toFloatArray();
        float[] want = Npy.read(fixtures.resolve("rgb_120x90.norm24.npy")).toFloatArray();
        assertArrayEquals(want, got, 1e-6f);
    }

    @Test
    void badImageIsNamedAndOthersAreStillWritten() throws Exception {
        Path good = png("good.png", 10, 12, 1);
        Path bad = dir.resolve("broken.jpg");
        Files.writeString(bad, "this is not a JPEG");
        Path out = dir.resolve("out");
        IOException e = assertThrows(IOException.class, () -> run(new String[] {"--size", "8", "--output-dir", out.toString(), good.toString(), bad.toString()}));
        assertTrue(e.getMessage().contains("1 of 2 images failed"), e.getMessage());
        String err = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(err.contains(bad.toString()) && err.contains("not a PNG or JPEG"), err);
        assertTrue(Files.exists(out.resolve("good.npy")));
        assertFalse(Files.exists(out.resolve("broken.npy")));
    }

    @Test
    void usageErrors() throws Exception {
        Path img = png("a.png", 5, 5, 0);
        // A bad command line (exit 2 through picocli): --size and --output-dir are required, and at least one image.
        for (String[] bad : new String[][] {{"--output-dir", dir.toString(), img.toString()}, {"--size", "8", img.toString()},
            {"--size", "8", "--output-dir", dir.toString()}, {"--size", "x", "--output-dir", dir.toString(), img.toString()}}) {
            assertThrows(ParameterException.class, () -> run(bad), String.join(" ", bad));
        }
        assertThrows(UsageException.class, () -> run(new String[] {"--size", "0", "--output-dir", dir.toString(), img.toString()}));
        Path other = Files.createDirectories(dir.resolve("sub")).resolve("a.jpg");
        Files.copy(img, other);
        UsageException dup = assertThrows(UsageException.class, () -> run(new String[] {"--size", "8", "--output-dir", dir.toString(), img.toString(), other.toString()}));
        assertTrue(dup.getMessage().contains("a.npy"), dup.getMessage());
    }

    @Test
    void sizeIsBoundedAndNamedWhenOutOfRange() throws Exception {
        Path img = png("a.png", 5, 5, 0);
        int lim = clipcl.tensor.io.InputLimits.IMAGE_MAX_SIZE;
        for (String bad : new String[] {"-1", "20000", "100000", String.valueOf(lim + 1)}) {
            UsageException e = assertThrows(UsageException.class, () -> run(new String[] {"--size", bad, "--output-dir", dir.toString(), img.toString()}));
            assertTrue(e.getMessage().contains("between 1 and " + lim + ", got " + bad), e.getMessage());
        }
        ParameterException missing = assertThrows(ParameterException.class, () -> run(new String[] {"--output-dir", dir.toString(), img.toString()}));
        assertTrue(missing.getMessage().contains("--size"), missing.getMessage());
    }

    @Test
    void anOutputDirThatIsAFileIsRefusedByName() throws Exception {
        Path img = png("a.png", 5, 5, 0);
        Path file = Files.writeString(dir.resolve("afile"), "x");
        IOException e = assertThrows(IOException.class, () -> run(new String[] {"--size", "8", "--output-dir", file.toString(), img.toString()}));
        assertTrue(e.getMessage().contains(file + ": exists and is not a"), e.getMessage());
    }
}

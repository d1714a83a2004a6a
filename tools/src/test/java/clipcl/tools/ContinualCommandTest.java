package clipcl.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import clipcl.continual.protocol.Clip0;
import clipcl.continual.protocol.Clip0Data;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `clipcl continual`: what is checked before any data is touched. */
class ContinualCommandTest {
    @TempDir
    Path dir;

    private static String fails(String... args) {
        return assertThrows(UsageException.class, () -> Cli.call(new ContinualCommand(), args)).getMessage();
    }

    @Test
    void badArgumentsAreNamed() {
        assertTrue(fails("--protocol", "mst", "--output-dir", "x").contains("--method"));
        assertTrue(fails("--method", "lfw", "--protocol", "mst", "--output-dir", "x").contains("ft"));
        assertTrue(fails("--method", "lwf", "--protocol", "mst", "--beta", "x", "--output-dir", "x").contains("beta"));
        assertTrue(fails("--method", "vr-lwf", "--protocol", "mst", "--variant", "foo", "--output-dir", "x").contains("authors|zscl|captions"));
        assertTrue(fails("--method", "imm:alpha=2", "--protocol", "ost", "--output-dir", "x").contains("alpha"));
        assertTrue(fails("--method", "ft", "--protocol", "ost", "--method-opts", "beta=1", "--output-dir", "x").contains("beta"));
        assertTrue(fails("--method", "ft", "--protocol", "mts", "--output-dir", "x").contains("ost, mst or stream"));
        assertTrue(fails("--method", "ft", "--protocol", "mst", "--update", "xx", "--output-dir", "x").contains("wm, io or to"));
        assertTrue(fails("--method", "ft", "--protocol", "mst", "--seeds", "1,b", "--output-dir", "x").contains("--seeds"));
        assertTrue(fails("--method", "ft", "--protocol", "mst", "--objective", "mse", "--output-dir", "x").contains("contrastive or class_ce"));
        picocli.CommandLine.ParameterException p = assertThrows(picocli.CommandLine.ParameterException.class,
                () -> Cli.call(new ContinualCommand(), "--method", "ft", "--protocol", "mst", "--bogus", "--output-dir", "x"));
        assertTrue(p.getMessage().contains("--bogus"), p.getMessage());
        assertTrue(fails("--method", "mod-x", "--protocol", "stream", "--buffer", "-1", "--output-dir", "x").contains("--buffer must be >= 0, got -1"));
        assertTrue(fails("--method", "ft", "--protocol", "mst", "--order", "0,1,2", "--output-dir", "x").contains("each digit 0-9 once"));
        assertTrue(fails("--method", "ft", "--protocol", "mst", "--order", "0,1,2,3,4,5,6,7,8,8", "--output-dir", "x").contains("once"));
        assertTrue(fails("--method", "lwf", "--protocol", "ost", "--grid", "beta", "--output-dir", "x").contains("--grid: grid axis 'beta' is not key=v1,v2,..."));
        assertTrue(fails("--method", "lwf", "--protocol", "ost", "--grid", "bta=1,2", "--output-dir", "x").contains("--grid:"));
        assertTrue(fails("--method", "lwf", "--protocol", "ost", "--grid", "beta=1,2", "--grid", "t=1,2", "--grid", "form=kl", "--output-dir", "x")
                .contains("at most two axes"));
        assertTrue(fails("--config", "x.json", "--grid", "beta=1,2", "--output-dir", "x").contains("do not pass --config"));
        assertTrue(fails("--method", "ft", "--protocol", "mst", "--order", "0,1,2,3,4,5,6,7,8,x", "--output-dir", "x").contains("'x'"));
        assertTrue(fails("--method", "ft", "--protocol", "mst", "--device", "nope", "--output-dir", "x").contains("cpu, cuda or cuda:N"));
        assertTrue(fails("--method", "ft", "--protocol", "stream", "--clip0-digits", "-10", "--output-dir", "x").contains("--clip0-digits must be a non-negative multiple of 10"));
        assertTrue(fails("--method", "ft", "--protocol", "stream", "--clip0-digits", "55", "--output-dir", "x").contains("got 55"));
        assertTrue(fails("--method", "clip-jt", "--protocol", "stream", "--clip0-digits", "500", "--output-dir", "x").contains("clip-jt:d0=false runs"));
        assertTrue(fails("--method", "ft", "--protocol", "stream", "--clip0-from-scratch", "--output-dir", "x").contains("--clip0-from-scratch and --clip0-epochs go with --karpathy-stream"));
        assertTrue(fails("--method", "ft", "--protocol", "stream", "--captions", "words", "--output-dir", "x").contains("--captions must be class or per-image, got 'words'"));
    }

    @Test
    void theRunConfigRecordsTheDigitsClip0Saw() {
        clipcl.continual.data.LabeledImages f = set("fashion", clipcl.clip.data.FashionMnist.CLASSES), g = set("digits", clipcl.continual.data.MnistDigits.CLASSES);
        clipcl.continual.data.Benchmark b = clipcl.continual.data.Benchmark.of(f, f, g, g);
        clipcl.clip.demo.DemoConfig d = clipcl.clip.demo.DemoConfig.quick();
        // none seen: the block as it always was
        assertEquals(Map.of("demo", d.toJson(), "cache_key", Clip0.key(d, b)), ContinualCommand.clip0Block(d, Clip0Data.of(b, 0)));
        Clip0Data seen = Clip0Data.of(b, 10);
        Map<String, Object> m = ContinualCommand.clip0Block(d, seen);
        assertEquals(Clip0.key(d, seen), m.get("cache_key"));
        assertNotEquals(Clip0.key(d, b), m.get("cache_key"));
        assertEquals(10, m.get("clip0_digits"));
        assertEquals(Clip0Data.RULE, m.get("clip0_digits_rule"));
        assertEquals(20 - 10, m.get("digits_train_items"));
    }

    /** Two blank 28x28 images a class. */
    private static clipcl.continual.data.LabeledImages set(String name, java.util.List<String> classes) {
        int n = 2 * classes.size();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % classes.size();
        return new clipcl.continual.data.LabeledImages(name, new byte[n * 28 * 28], labels, n, 28, classes);
    }

    @Test
    void orderFromTheCommandLineOrAFile() throws Exception {
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, ContinualCommand.order("9,8,7,6,5,4,3,2,1,0"));
        Path f = dir.resolve("order.txt");
        Files.writeString(f, "1 0\n3 2\n5 4\n7 6\n9 8\n");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {1, 0, 3, 2, 5, 4, 7, 6, 9, 8}, ContinualCommand.order(f.toString()));
        org.junit.jupiter.api.Assertions.assertNull(ContinualCommand.order(null));
    }

    @Test
    void configFilesAreChecked() throws Exception {
        Path cfg = dir.resolve("study.json");
        Files.writeString(cfg, "{\"studies\": []}");
        assertTrue(fails("--config", cfg.toString(), "--output-dir", "x").contains("studies"));
        Files.writeString(cfg, "{\"studies\": [{\"method\": \"ft\"}]}");
        assertTrue(fails("--config", cfg.toString(), "--output-dir", "x").contains("study 0"));
        Files.writeString(cfg, "{\"studies\": [{\"method\": \"ft\", \"protocol\": \"ost\"}]}");
        assertTrue(fails("--config", cfg.toString(), "--method", "ft", "--output-dir", "x").contains("--method"));
        assertTrue(fails("--config", dir.resolve("missing.json").toString(), "--output-dir", "x").contains("missing.json"));
    }
}

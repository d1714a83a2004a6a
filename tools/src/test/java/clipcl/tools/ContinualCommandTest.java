package clipcl.tools;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `clipcl continual`: what is checked before any data is touched. */
class ContinualCommandTest {
    @TempDir
    Path dir;

    private static String fails(String... args) {
        return assertThrows(UsageException.class, () -> new ContinualCommand().run(args)).getMessage();
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
        assertTrue(fails("--method", "ft", "--protocol", "mst", "--bogus").contains("--bogus"));
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

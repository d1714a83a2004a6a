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

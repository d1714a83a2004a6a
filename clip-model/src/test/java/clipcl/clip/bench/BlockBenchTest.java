package clipcl.clip.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command's contract only (tiny shapes, no timing claims): options, and JSON as the last line. */
class BlockBenchTest {
    private static String run(String... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        assertEquals(0, BlockBench.run(args, new PrintStream(b, true, StandardCharsets.UTF_8)));
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonLastLineHasMsPerIterAndAllocation() {
        String out = run("--width", "32", "--heads", "4", "--seq", "6", "--batch", "2", "--backward", "--causal",
                "--threads", "1", "--seconds", "0.01", "--warmup", "0", "--json");
        String[] lines = out.strip().split("\n");
        Map<String, Object> j = Json.parseObject(lines[lines.length - 1]);
        assertTrue(((Number) j.get("ms_per_iter")).doubleValue() > 0, out);
        assertEquals(true, j.get("backward"));
        assertEquals(32L, j.get("width"));
        assertTrue(j.containsKey("alloc_bytes_per_iter") && j.containsKey("pool_new_arrays_per_iter"), out);
        String text = run("--width", "16", "--heads", "2", "--seq", "4", "--batch", "1", "--threads", "1", "--seconds", "0.01", "--warmup", "0");
        assertTrue(text.startsWith("block width 16 heads 2 seq 4 batch 1 forward threads 1"), text);
        assertTrue(text.contains("allocation per iteration"), text);
    }

    @Test
    void badOptionsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run("--widht", "8"));
        assertTrue(e.getMessage().contains("--widht"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> run("--width", "10", "--heads", "3", "--seconds", "0.01"));
        assertTrue(e.getMessage().contains("not divisible"), e.getMessage());
        assertTrue(run("--help").contains("usage: clipcl bench block"));
    }
}

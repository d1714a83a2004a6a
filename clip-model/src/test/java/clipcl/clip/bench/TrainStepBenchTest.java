package clipcl.clip.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.clip.config.ClipConfig;
import clipcl.tensor.Device;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The training-step benchmark on the tiny golden config: the same losses on the CPU and the strict test device, and bench lines gpu-run.sh can parse. */
class TrainStepBenchTest {
    @Test
    void runsOnTheCpuAndTheTestDeviceWithEqualLosses() throws Exception {
        ClipConfig cfg = ClipConfig.fromFile(Path.of("src/test/resources/golden/config.json"));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        TrainStepBench.Result cpu = TrainStepBench.run(cfg, "tiny", Device.CPU, 3, 2, 1, out);
        TrainStepBench.Result dev = TrainStepBench.run(cfg, "tiny", Device.TEST, 3, 2, 1, out);
        assertEquals(cpu.firstLoss(), dev.firstLoss(), 0.0);
        assertEquals(cpu.lastLoss(), dev.lastLoss(), 0.0);
        assertTrue(cpu.lastLoss() < cpu.firstLoss(), "three AdamW steps on one batch lower its loss: " + cpu.firstLoss() + " -> " + cpu.lastLoss());
        assertTrue(dev.peakBytes() > 0, "the test device tracks memory");
        int benchLines = 0;
        for (String line : buf.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.startsWith("bench ")) continue;
            String[] f = line.trim().split("\\s+");
            assertEquals(4, f.length, line);
            Double.parseDouble(f[2]);
            benchLines++;
        }
        assertEquals(2 + 2 + 1, benchLines, "samples/s and ms for both runs, peak memory for the test device");
    }

    @Test
    void checkPassesOnTheTestDeviceAndItsDefaults() throws Exception {
        ClipConfig cfg = ClipConfig.fromFile(Path.of("src/test/resources/golden/config.json"));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertTrue(TrainStepBench.check(cfg, Device.TEST, quiet));
        assertTrue(TrainStepBench.check(cfg, clipcl.tensor.strict.StrictBackend.DEFAULTS, quiet), "the Backend defaults (what a GPU backend inherits) train like the CPU");
        double[][] a = TrainStepBench.trainForCheck(cfg, Device.CPU, 4, 2), b = TrainStepBench.trainForCheck(cfg, Device.TEST, 4, 2);
        org.junit.jupiter.api.Assertions.assertArrayEquals(a[1], b[1], 0.0, "weights after two steps: test vs cpu");
    }
}

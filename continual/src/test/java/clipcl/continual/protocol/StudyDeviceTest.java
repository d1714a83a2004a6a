package clipcl.continual.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clipcl.continual.Fixtures;
import clipcl.continual.method.Methods;
import clipcl.continual.report.MetricsJson;
import clipcl.continual.report.RunResult;
import clipcl.continual.train.RunFolder;
import clipcl.continual.train.SessionListener;
import clipcl.tensor.Device;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The continual engine on the strict test device ({@link Device#TEST}: its own storage, refuses host
 * operands): an FT study of five MST sessions trains there and ends with the CPU's metrics.json, byte
 * for byte. The same code runs on a GPU; this is the CI proof that the engine puts nothing on the host
 * by mistake.
 */
class StudyDeviceTest {
    private static String run(Device device, Path dir) throws IOException {
        StudyConfig cfg = StudyTest.config("ft", Protocol.MST).withDevice(device);
        Study s = new Study(cfg, Methods.byName("ft"), StudyTest.BENCH, Fixtures.tinyClip(StudyTest.BENCH), StudyTest.IMAGES, SessionListener.NONE);
        RunResult r = s.run(RunFolder.open(dir, false));
        return MetricsJson.text(r);
    }

    @Test
    void anMstStudyOnTheTestDeviceEndsWithTheCpusMetrics(@TempDir Path dir) throws IOException {
        assertEquals(run(Device.CPU, dir.resolve("cpu")), run(Device.TEST, dir.resolve("test")));
    }
}

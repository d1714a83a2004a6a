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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The continual engine on the strict test device ({@link Device#TEST}: its own storage, refuses host
 * operands): a study of five MST sessions of every method trains there and ends with the CPU's
 * metrics.json, byte for byte. The same code runs on a GPU; this is the CI proof that the engine puts nothing on the host
 * by mistake.
 */
class StudyDeviceTest {
    /** method's five-session MST study of the tiny benchmark, trained on device into dir. */
    static RunResult study(String method, Device device, Path dir) throws IOException {
        StudyConfig cfg = StudyTest.config(method, Protocol.MST).withDevice(device);
        Study s = new Study(cfg, Methods.byName(method), StudyTest.BENCH, Fixtures.tinyClip(StudyTest.BENCH), StudyTest.IMAGES, SessionListener.NONE);
        return s.run(RunFolder.open(dir, false));
    }

    private static String run(String method, Device device, Path dir) throws IOException {
        return MetricsJson.text(study(method, device, dir));
    }

    static java.util.List<String> methods() { return Methods.NAMES; }

    @ParameterizedTest
    @MethodSource("methods")
    void anMstStudyOnTheTestDeviceEndsWithTheCpusMetrics(String method, @TempDir Path dir) throws IOException {
        assertEquals(run(method, Device.CPU, dir.resolve("cpu")), run(method, Device.TEST, dir.resolve("test")), method);
    }
}

package clipcl.continual.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import clipcl.continual.method.Methods;
import clipcl.continual.report.RunResult;
import clipcl.tensor.Backends;
import clipcl.tensor.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method's five-session MST study on a GPU, beside the same study on the CPU. The GPU sums in
 * another order, so the two runs drift apart as training goes on: the first logged step's loss terms
 * must agree closely (the same forward pass), every logged loss must be finite, and each session's
 * accuracies may differ by a few test items at most. Skips where no GPU answers (CI);
 * scripts/gpu-run.sh runs it on the GPU machine.
 */
class StudyCudaTest {
    private static final Device CUDA = Device.cuda(0);
    /** 30 test items a task in the tiny benchmark: three flips of a prediction. */
    private static final double ACCURACY_TOLERANCE = 0.1;

    @BeforeEach
    void gpuOrSkip() { assumeTrue(Backends.available(Device.Kind.CUDA), "no CUDA backend with a GPU on this machine"); }

    static List<String> methods() { return Methods.NAMES; }

    @ParameterizedTest
    @MethodSource("methods")
    void anMstStudyOnTheGpuFollowsTheCpu(String method, @TempDir Path dir) throws IOException {
        RunResult cpu = StudyDeviceTest.study(method, Device.CPU, dir.resolve("cpu")), gpu = StudyDeviceTest.study(method, CUDA, dir.resolve("cuda"));
        assertEquals(cpu.sessions().size(), gpu.sessions().size(), method + ": sessions");
        assertEquals(cpu.losses().size(), gpu.losses().size(), method + ": logged steps");
        for (Map.Entry<String, Double> e : cpu.losses().get(0).entrySet()) {
            double c = e.getValue(), g = gpu.losses().get(0).get(e.getKey());
            assertEquals(c, g, 1e-4 * Math.max(1, Math.abs(c)), method + ": first step's " + e.getKey() + " on cuda vs cpu");
        }
        for (Map<String, Double> step : gpu.losses()) {
            for (Map.Entry<String, Double> e : step.entrySet()) assertTrue(Double.isFinite(e.getValue()), method + ": " + e.getKey() + " on cuda is " + e.getValue());
        }
        for (int s = 0; s < cpu.sessions().size(); s++) {
            for (String key : List.of("ut_acc", "zs_acc")) {
                Double c = cpu.sessions().get(s).get(key), g = gpu.sessions().get(s).get(key);
                if (c == null) continue;
                assertEquals(c, g, ACCURACY_TOLERANCE, method + ": session " + s + " " + key + " on cuda vs cpu");
            }
        }
    }
}

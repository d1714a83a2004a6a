package clipcl.autograd;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import clipcl.tensor.Backends;
import clipcl.tensor.DType;
import clipcl.tensor.Device;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every gradient case on a GPU against the CPU, in F32 (outputs and each input's gradient within
 * 2e-5 of (1 + |cpu|)): the same comparison that {@link StrictDeviceTest} makes on the strict test
 * device, with the CUDA backend's own kernels. Skips where the CUDA backend is not on the class path
 * or no GPU answers (CI); scripts/gpu-run.sh runs it on the GPU machine.
 */
class CudaGradCasesTest {
    @BeforeEach
    void gpuOrSkip() { assumeTrue(Backends.available(Device.Kind.CUDA), "no CUDA backend with a GPU on this machine"); }

    @TestFactory
    Stream<DynamicTest> gradientCasesOnCudaMatchTheCpuF32() { return StrictDeviceTest.compare(Device.cuda(0), DType.F32, false); }
}

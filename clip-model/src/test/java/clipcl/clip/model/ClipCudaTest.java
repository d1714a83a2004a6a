package clipcl.clip.model;

import static clipcl.clip.model.ClipGoldenTest.GOLDEN;
import static clipcl.clip.model.ClipGoldenTest.WEIGHTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import clipcl.clip.config.ClipConfig;
import clipcl.clip.weights.StateDict;
import clipcl.clip.weights.WeightLoader;
import clipcl.tensor.Backends;
import clipcl.tensor.Device;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.Npy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tiny golden CLIP on a GPU: PyTorch's features from OpenAI's code, and three contrastive
 * training steps that follow the CPU's. Skips where the CUDA backend is not on the class path or no
 * GPU answers (CI); scripts/gpu-run.sh runs it on the GPU machine, from the clip-model folder.
 */
class ClipCudaTest {
    private static final Device CUDA = Device.cuda(0);

    @BeforeEach
    void gpuOrSkip() { assumeTrue(Backends.available(Device.Kind.CUDA), "no CUDA backend with a GPU on this machine"); }

    @Test
    void goldenFeaturesOnTheGpu() throws Exception {
        ClipConfig cfg = ClipGoldenTest.config();
        Clip model;
        try (StateDict sd = WeightLoader.load(WEIGHTS.resolve("openai.safetensors"))) {
            model = Clip.fromStateDict(cfg, sd.tensors());
        }
        model.to(CUDA);
        Tensor images = Npy.read(GOLDEN.resolve("images.npy")), ids = Npy.read(GOLDEN.resolve("text_ids.npy"));
        Tensor img = model.encodeImages(images.to(CUDA), 2), txt = model.encodeTexts(ids.to(CUDA), 3);
        assertEquals(CUDA, img.device());
        ClipGoldenTest.assertClose(Npy.read(GOLDEN.resolve("image_features.npy")), img.to(Device.CPU), 1e-5, 1e-4, "image features on cuda");
        ClipGoldenTest.assertClose(Npy.read(GOLDEN.resolve("text_features.npy")), txt.to(Device.CPU), 1e-5, 1e-4, "text features on cuda");
    }

    @Test
    void contrastiveTrainingOnTheGpuFollowsTheCpu() throws Exception {
        ClipConfig cfg = ClipGoldenTest.config();
        int steps = 3;
        double[] cpu = ClipStrictDeviceTest.train(cfg, Device.CPU, steps, null), gpu = ClipStrictDeviceTest.train(cfg, CUDA, steps, null);
        assertEquals(cpu.length, gpu.length);
        for (int i = 0; i < steps; i++) {
            assertEquals(cpu[i], gpu[i], 1e-4 * Math.abs(cpu[i]), "loss of step " + i + ": cuda vs cpu");
        }
        // AdamW normalises each update, so a weight whose gradient is near zero can move by up to the
        // learning rate (1e-3) a step on one device and not the other: three steps bound the gap by 3e-3.
        double worst = 0;
        for (int i = steps; i < cpu.length; i++) worst = Math.max(worst, Math.abs(cpu[i] - gpu[i]));
        assertTrue(worst <= 3e-3, "largest weight difference after " + steps + " steps: " + worst);
    }
}

package clipcl.continual.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.clip.data.FashionMnist;
import clipcl.clip.demo.DemoConfig;
import clipcl.continual.train.SessionListener;
import clipcl.tensor.Device;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A miniature demo run: it learns, writes a checkpoint, and a run stopped half way resumes to the same end. */
class DemoTest {
    @TempDir
    Path dir;

    // 24 steps of 64 images, a 1-layer 32-wide model: seconds, not minutes.
    static final DemoConfig TINY = new DemoConfig(1, 64, 5e-3, 0.1, 0.1, 32, 1, 1, 7, 16, 1536, 7);

    @Test
    void stoppedRunResumesToTheSameWeightsAndMetrics() throws Exception {
        Assumptions.assumeTrue(FashionMnist.present(FashionMnist.DEFAULT_DIR),
                "Fashion-MNIST not installed in " + FashionMnist.DEFAULT_DIR + " (apt-get install dataset-fashion-mnist)");
        SessionListener quiet = SessionListener.NONE;
        Demo.Result straight = Demo.run(TINY, FashionMnist.DEFAULT_DIR, dir.resolve("a"), false, quiet, Long.MAX_VALUE);
        assertNull(Demo.run(TINY, FashionMnist.DEFAULT_DIR, dir.resolve("b"), false, quiet, 11));
        assertTrue(Files.isRegularFile(dir.resolve("b/checkpoint/model.safetensors")));
        Demo.Result resumed = Demo.run(TINY, FashionMnist.DEFAULT_DIR, dir.resolve("b"), true, quiet, Long.MAX_VALUE);

        Map<String, Tensor> wa = straight.clip().stateDict(), wb = resumed.clip().stateDict();
        assertEquals(wa.keySet(), wb.keySet());
        for (String k : wa.keySet()) assertArrayEquals(wa.get(k).toFloatArray(), wb.get(k).toFloatArray(), 0f, k);
        assertEquals(straight.zeroshotTop1(), resumed.zeroshotTop1(), 0.0);
        assertEquals(straight.finalLoss(), resumed.finalLoss(), 0.0);
        // 24 steps already lift zero-shot clearly above chance (0.10 on the balanced 10,000 test images; measured 0.149).
        assertTrue(straight.zeroshotTop1() > 0.13, "zero-shot top-1 " + straight.zeroshotTop1());
        assertTrue(straight.finalLoss() < Math.log(64), "loss " + straight.finalLoss() + " not below ln(batch)");
    }

    @Test
    void demoOnTheStrictTestDeviceEqualsTheCpu() throws Exception {
        Assumptions.assumeTrue(FashionMnist.present(FashionMnist.DEFAULT_DIR),
                "Fashion-MNIST not installed in " + FashionMnist.DEFAULT_DIR + " (apt-get install dataset-fashion-mnist)");
        DemoConfig shortRun = TINY.withEpochs(1);
        SessionListener quiet = SessionListener.NONE;
        assertNull(Demo.run(shortRun, FashionMnist.DEFAULT_DIR, dir.resolve("cpu"), false, false, quiet, 8, Device.CPU));
        assertNull(Demo.run(shortRun, FashionMnist.DEFAULT_DIR, dir.resolve("test"), false, false, quiet, 8, Device.TEST));
        // Stopped after 8 steps: the checkpoints written from each device hold the same weights.
        Map<String, Tensor> wa = Safetensors.readAll(dir.resolve("cpu/checkpoint/model.safetensors"));
        Map<String, Tensor> wb = Safetensors.readAll(dir.resolve("test/checkpoint/model.safetensors"));
        assertEquals(wa.keySet(), wb.keySet());
        for (String k : wa.keySet()) assertArrayEquals(wa.get(k).toFloatArray(), wb.get(k).toFloatArray(), 0f, k);
    }

    @Test
    void aRunFolderWithACheckpointIsRefusedWithoutResumeOrOverwrite() throws Exception {
        Assumptions.assumeTrue(FashionMnist.present(FashionMnist.DEFAULT_DIR),
                "Fashion-MNIST not installed in " + FashionMnist.DEFAULT_DIR + " (apt-get install dataset-fashion-mnist)");
        DemoConfig shortRun = TINY.withEpochs(1);
        assertNull(Demo.run(shortRun, FashionMnist.DEFAULT_DIR, dir.resolve("r"), false, false, SessionListener.NONE, 2, Device.CPU));
        assertThrows(java.io.IOException.class, () -> Demo.run(shortRun, FashionMnist.DEFAULT_DIR, dir.resolve("r"), false, false, SessionListener.NONE, 4, Device.CPU));
        assertNull(Demo.run(shortRun, FashionMnist.DEFAULT_DIR, dir.resolve("r"), false, true, SessionListener.NONE, 2, Device.CPU));
    }
}

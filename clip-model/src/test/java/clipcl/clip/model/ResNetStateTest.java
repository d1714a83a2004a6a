package clipcl.clip.model;

import static clipcl.clip.model.ClipGoldenTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.Var;
import clipcl.autograd.checkpoint.Checkpoint;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch-norm state travels: deep copies (teachers) own their statistics, weight files keep them. */
class ResNetStateTest {
    @TempDir
    Path tmp;

    @Test
    void deepCopyOwnsItsRunningStatistics() throws Exception {
        Clip model = ResNetGoldenTest.load("state_dict.pt");
        Clip copy = model.deepCopy();
        Tensor images = Npy.read(ResNetGoldenTest.DIR.resolve("images.npy"));
        Tensor before = model.resnet().stateDict().get("bn1.running_mean").copy();
        try (Scope s = Scope.open()) {
            copy.encodeImage(Var.constant(images));  // training mode: the copy's statistics move
        }
        assertClose(before, model.resnet().stateDict().get("bn1.running_mean"), 0, 0, "the original's statistics");
        assertTrue(copy.resnet().stateDict().get("bn1.running_mean").sub(before).abs().max().item() > 1e-4, "the copy's statistics moved");
        assertEquals(8, (int) copy.resnet().stateDict().get("bn1.num_batches_tracked").item());
        assertEquals(7, (int) model.resnet().stateDict().get("bn1.num_batches_tracked").item());
    }

    @Test
    void weightFilesKeepRunningStatistics() throws Exception {
        Clip model = ResNetGoldenTest.load("openai.safetensors");
        Path file = tmp.resolve("rn.safetensors");
        Checkpoint.saveWeights(file, model);
        assertTrue(Files.size(file) > 0);
        Clip fresh = Clip.create(ResNetGoldenTest.config(), 9);
        assertTrue(Checkpoint.loadWeights(file, fresh, true).clean());
        Tensor images = Npy.read(ResNetGoldenTest.DIR.resolve("images.npy"));
        assertClose(Npy.read(ResNetGoldenTest.DIR.resolve("image_features.npy")), fresh.encodeImages(images, 3), 1e-5, 1e-4, "reloaded model");
        assertEquals(7, (int) fresh.resnet().stateDict().get("layer2.1.bn2.num_batches_tracked").item());
    }
}

package clipcl.tools;

import static clipcl.tools.EncodeCommandTest.RES;
import static clipcl.tools.EncodeCommandTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `clipcl encode` on the tiny ResNet CLIP of clip-model's fixtures: config inferred from OpenAI's ResNet names. */
class EncodeResNetCommandTest {
    @TempDir
    Path dir;

    @Test
    void torchScriptResNetWithInferredConfigMatchesPyTorch() throws Exception {
        int rc = Cli.call(new EncodeCommand(), new String[] {
            "--weights", RES.resolve("resnet/torchscript.pt").toString(),
            "--images-npy", RES.resolve("resnet/images.npy").toString(),
            "--output-dir", dir.toString()});
        assertEquals(0, rc);
        assertClose(RES.resolve("resnet/torchscript_image_features.npy"), dir.resolve("image_features.npy"), 1e-5);
    }

    @Test
    void resNetWeightsUnderAViTConfigAreNamed() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> Cli.call(new EncodeCommand(), new String[] {
            "--weights", RES.resolve("resnet/state_dict.pt").toString(), "--model-config", RES.resolve("golden/config.json").toString(),
            "--images-npy", RES.resolve("resnet/images.npy").toString(), "--output-dir", dir.toString()}));
        assertTrue(e.getMessage().contains("state_dict.pt") && e.getMessage().contains("visual.layer1.0.conv1.weight"), e.getMessage());
    }
}

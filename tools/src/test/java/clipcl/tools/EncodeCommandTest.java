package clipcl.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.Tensor;
import clipcl.tensor.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `clipcl encode` end to end on the tiny CLIP fixtures of clip-model, against PyTorch's outputs. */
class EncodeCommandTest {
    static final Path RES = Path.of("../clip-model/src/test/resources");

    @TempDir
    Path dir;

    static void assertClose(Path expectedNpy, Path actualNpy, double atol) throws Exception {
        Tensor e = Npy.read(expectedNpy), a = Npy.read(actualNpy);
        assertEquals(e.shape(), a.shape(), actualNpy.toString());
        double[] ev = e.toDoubleArray(), av = a.toDoubleArray();
        for (int i = 0; i < ev.length; i++) {
            assertTrue(Math.abs(ev[i] - av[i]) <= atol + 1e-4 * Math.abs(ev[i]), actualNpy + "[" + i + "] = " + av[i] + ", expected " + ev[i]);
        }
    }

    @Test
    void imagesFromNpyMatchPyTorch() throws Exception {
        int rc = Cli.call(new EncodeCommand(), new String[] {
            "--weights", RES.resolve("weights/torchscript.pt").toString(),
            "--model-config", RES.resolve("golden/config.json").toString(),
            "--images-npy", RES.resolve("golden/images.npy").toString(),
            "--output-dir", dir.toString()});
        assertEquals(0, rc);
        assertClose(RES.resolve("golden/torchscript_image_features.npy"), dir.resolve("image_features.npy"), 1e-5);
        assertTrue(!Files.exists(dir.resolve("logits_per_image.npy")), "no logits without texts");
    }

    @Test
    void onTheStrictTestDeviceTheFeaturesEqualTheCpus() throws Exception {
        for (String device : new String[] {"cpu", "test"}) {
            int rc = Cli.call(new EncodeCommand(), new String[] {
                "--weights", RES.resolve("weights/torchscript.pt").toString(),
                "--model-config", RES.resolve("golden/config.json").toString(),
                "--images-npy", RES.resolve("golden/images.npy").toString(),
                "--device", device,
                "--output-dir", dir.resolve(device).toString()});
            assertEquals(0, rc, device);
        }
        assertClose(RES.resolve("golden/torchscript_image_features.npy"), dir.resolve("test/image_features.npy"), 1e-5);
        org.junit.jupiter.api.Assertions.assertArrayEquals(Npy.read(dir.resolve("cpu/image_features.npy")).toDoubleArray(),
                Npy.read(dir.resolve("test/image_features.npy")).toDoubleArray(), 0.0);
        UsageException e = assertThrows(UsageException.class, () -> Cli.call(new EncodeCommand(), new String[] {
            "--weights", "x.pt", "--images-npy", "y.npy", "--device", "tpu", "--output-dir", dir.toString()}));
        assertTrue(e.getMessage().contains("bad device 'tpu'"), e.getMessage());
    }

    @Test
    void usageErrors() {
        UsageException e = assertThrows(UsageException.class, () -> Cli.call(new EncodeCommand(), new String[] {"--weights", "x.pt", "--output-dir", dir.toString()}));
        assertTrue(e.getMessage().contains("nothing to encode"), e.getMessage());
        e = assertThrows(UsageException.class, () -> Cli.call(new EncodeCommand(), new String[] {"--weights", "x.pt", "--texts", "t.jsonl", "--output-dir", dir.toString()}));
        assertTrue(e.getMessage().contains("--vocab"), e.getMessage());
        e = assertThrows(UsageException.class, () -> Cli.call(new EncodeCommand(), new String[] {"--weights", "x.pt", "a.png", "--output-dir", dir.toString()}));
        assertTrue(e.getMessage().contains("--images"), e.getMessage());
    }

    @Test
    void missingWeightsNameTheFile() {
        Exception e = assertThrows(Exception.class, () -> Cli.call(new EncodeCommand(), new String[] {
            "--weights", dir.resolve("nope.pt").toString(), "--images-npy", RES.resolve("golden/images.npy").toString(),
            "--output-dir", dir.toString()}));
        assertTrue(e.getMessage().contains("nope.pt"), e.getMessage());
    }

    private String[] imagesArgs(Path out, Path images, String... extra) {
        String[] base = {"--weights", RES.resolve("weights/torchscript.pt").toString(), "--model-config", RES.resolve("golden/config.json").toString(),
            "--images-npy", images.toString(), "--output-dir", out.toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void arraysOfAnEarlierRunAreRemovedAndAFailedRunWritesNothing() throws Exception {
        Files.writeString(dir.resolve("logits_per_image.npy"), "stale");
        Files.writeString(dir.resolve("text_features.npy"), "stale");
        assertEquals(0, Cli.call(new EncodeCommand(), imagesArgs(dir, RES.resolve("golden/images.npy"))));
        assertTrue(Files.exists(dir.resolve("image_features.npy")));
        assertTrue(!Files.exists(dir.resolve("logits_per_image.npy")) && !Files.exists(dir.resolve("text_features.npy")), "stale arrays removed");

        Path fresh = dir.resolve("fresh");
        Path texts = Files.writeString(dir.resolve("t.jsonl"), "\"a cat\"\nnot json\n");
        assertThrows(IllegalArgumentException.class, () -> Cli.call(new EncodeCommand(), 
                imagesArgs(fresh, RES.resolve("golden/images.npy"), "--texts", texts.toString(), "--vocab", dir.resolve("none.txt.gz").toString())));
        assertTrue(!Files.exists(fresh.resolve("image_features.npy")), "a failed text encode leaves no image features behind");
    }

    @Test
    void outputDirThatIsAFileNonFiniteImagesAndTwoModelsAreRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        Exception e = assertThrows(java.io.IOException.class, () -> Cli.call(new EncodeCommand(), imagesArgs(file, RES.resolve("golden/images.npy"))));
        assertTrue(e.getMessage().contains("afile: exists and is not a folder"), e.getMessage());

        Tensor imgs = Npy.read(RES.resolve("golden/images.npy"));
        float[] v = imgs.toFloatArray();
        v[5] = Float.NaN;
        Path nan = dir.resolve("nan.npy");
        Npy.write(nan, Tensor.of(v, imgs.dims()));
        var bad = assertThrows(clipcl.tensor.io.BadInputException.class, () -> Cli.call(new EncodeCommand(), imagesArgs(dir.resolve("o"), nan)));
        assertEquals("element 5", bad.field());

        UsageException both = assertThrows(UsageException.class, () -> Cli.call(new EncodeCommand(), imagesArgs(dir.resolve("o"), RES.resolve("golden/images.npy"), "--model", "ViT-B-32")));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
    }
}

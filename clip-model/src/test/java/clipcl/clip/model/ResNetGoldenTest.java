package clipcl.clip.model;

import static clipcl.clip.model.ClipGoldenTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.F;
import clipcl.autograd.Var;
import clipcl.clip.config.ClipConfig;
import clipcl.clip.config.ModelConfigs;
import clipcl.clip.weights.StateDict;
import clipcl.clip.weights.WeightLoader;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.Npy;
import clipcl.tensor.io.Safetensors;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tiny ModifiedResNet CLIP of make_resnet_golden.py (OpenAI's model code) against PyTorch:
 * eval-mode encodings from every weight format, and in training mode (batch statistics) the loss,
 * every parameter's gradient and the updated running statistics. Tolerances are the ViT goldens':
 * 1e-5 absolute + 1e-4 relative forward, gradients within 1e-4 of (|want| + max|want|).
 */
class ResNetGoldenTest {
    static final Path DIR = Path.of("src/test/resources/resnet");

    static ClipConfig config() throws Exception { return ClipConfig.fromFile(DIR.resolve("config.json")); }

    static Clip load(String file) throws Exception {
        try (StateDict sd = WeightLoader.load(DIR.resolve(file))) {
            return Clip.fromStateDict(config(), sd.tensors());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "state_dict.pt, ''",
        "openai.safetensors, ''",
        "torchscript.pt, torchscript_",
    })
    void encodeMatchesPyTorch(String file, String expectedPrefix) throws Exception {
        Clip model = load(file);
        Tensor images = Npy.read(DIR.resolve("images.npy"));
        Tensor ids = Npy.read(DIR.resolve("text_ids.npy"));
        Tensor img = model.encodeImages(images, 2);
        Tensor txt = model.encodeTexts(ids, 2);
        assertClose(Npy.read(DIR.resolve(expectedPrefix + "image_features.npy")), img, 1e-5, 1e-4, file + " image features");
        assertClose(Npy.read(DIR.resolve(expectedPrefix + "text_features.npy")), txt, 1e-5, 1e-4, file + " text features");
        Tensor logits = model.logits(Var.constant(img), Var.constant(txt)).data();
        assertClose(Npy.read(DIR.resolve(expectedPrefix + "logits_per_image.npy")), logits, 1e-4, 1e-4, file + " logits");
        assertTrue(model.isTraining(), "encodeImages restores the training mode");
        double err = 0;
        float[] e = Npy.read(DIR.resolve(expectedPrefix + "image_features.npy")).toFloatArray(), a = img.toFloatArray();
        for (int i = 0; i < e.length; i++) err = Math.max(err, Math.abs(e[i] - a[i]));
        System.out.println("ResNet golden " + file + ": image features max |err| " + err);
    }

    @Test
    void configIsInferredFromTheWeights() throws Exception {
        try (StateDict sd = WeightLoader.load(DIR.resolve("torchscript.pt"))) {
            assertEquals(config(), ModelConfigs.infer(sd.tensors()));
        }
    }

    @Test
    void trainingModeLossGradientsAndRunningStatsMatchPyTorch() throws Exception {
        Clip model = load("state_dict.pt");
        Tensor images = Npy.read(DIR.resolve("images.npy"));
        Tensor ids = Npy.read(DIR.resolve("text_ids.npy"));
        try (Scope s = Scope.open()) {
            Var logits = model.logits(model.encodeImage(Var.constant(images)), model.encodeText(ids));
            int[] labels = {0, 1, 2};
            Var loss = F.crossEntropy(logits, labels).add(F.crossEntropy(logits.mT(), labels)).mul(0.5);
            loss.backward();
            double want = Npy.read(DIR.resolve("train_loss.npy")).getFlat(0);
            assertEquals(want, loss.item(), 1e-5 * Math.abs(want), "loss");
        }
        Map<String, Tensor> grads = Safetensors.readAll(DIR.resolve("train_grads.safetensors"));
        assertEquals(model.namedParameters().keySet(), grads.keySet(), "every parameter has a PyTorch gradient");
        Map<String, Double> worst = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : grads.entrySet()) {
            Tensor got = model.parameter(e.getKey()).grad();
            if (e.getKey().equals("visual.attnpool.k_proj.bias")) {
                // q . b_k is the same for every key, so softmax cancels it: the true gradient is 0 and
                // both sides hold rounding noise only.
                assertTrue(e.getValue().abs().max().item() < 1e-6 && got.abs().max().item() < 1e-6, "k_proj.bias gradient is zero up to rounding");
                continue;
            }
            compare("grad " + e.getKey(), e.getValue(), got, 1e-4, worst);
        }
        Map<String, Tensor> bufs = Safetensors.readAll(DIR.resolve("train_buffers.safetensors"));
        Map<String, Tensor> own = model.namedBuffers();
        assertTrue(bufs.size() > 40, "running statistics of every batch norm: " + bufs.size());
        for (Map.Entry<String, Tensor> e : bufs.entrySet()) compare("buffer " + e.getKey(), e.getValue(), own.get(e.getKey()), 1e-5, worst);
        assertEquals(8, (int) own.get("visual.layer1.0.bn1.num_batches_tracked").item(), "one tracked batch more than the checkpoint's 7");
        System.out.println("ResNet golden vs PyTorch, worst |err|/(|want|+max|want|): " + worst);
    }

    static void compare(String what, Tensor want, Tensor got, double rtol, Map<String, Double> worst) {
        assertTrue(got != null, what + ": missing");
        assertEquals(want.shape(), got.shape(), what + ": shape");
        double[] w = want.toDoubleArray(), g = got.toDoubleArray();
        double scale = 0;
        for (double v : w) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < w.length; i++) {
            double err = Math.abs(g[i] - w[i]);
            worst.merge(what.split(" ")[0], err / (Math.abs(w[i]) + scale), Math::max);
            if (!(err <= rtol * (Math.abs(w[i]) + scale))) {
                throw new AssertionError(what + "[" + i + "]: PyTorch " + w[i] + ", ours " + g[i] + " (error " + err + ", tensor scale " + scale + ")");
            }
        }
    }

    @Test
    void stateDictNamesAreOpenAis() throws Exception {
        Clip model = Clip.create(config(), 1);
        Map<String, Tensor> sd = model.stateDict();
        for (String k : new String[] {"visual.conv1.weight", "visual.bn1.running_var", "visual.bn3.num_batches_tracked",
                "visual.layer1.0.downsample.0.weight", "visual.layer1.0.downsample.1.running_mean", "visual.layer2.1.conv2.weight",
                "visual.attnpool.positional_embedding", "visual.attnpool.q_proj.bias", "visual.attnpool.c_proj.weight",
                "transformer.resblocks.0.attn.in_proj_weight", "text_projection", "logit_scale"}) {
            assertTrue(sd.containsKey(k), "missing " + k);
        }
        assertTrue(!sd.containsKey("visual.layer2.1.downsample.0.weight"), "only a block that changes shape has a projection shortcut");
        // OpenAI's initialisation zeroes every Bottleneck's last batch-norm gain
        assertEquals(0.0, model.parameter("visual.layer3.0.bn3.weight").data().abs().sum().item());
        assertThrows(IllegalStateException.class, model::visual);
    }

    @Test
    void frozenBatchNormUsesRunningStatisticsInTrainingMode() throws Exception {
        Clip model = load("state_dict.pt");
        Tensor images = Npy.read(DIR.resolve("images.npy"));
        assertEquals(model.stateDict().keySet().stream().filter(k -> k.endsWith("running_var")).count(), model.resnet().freezeBatchNorm(true));
        Tensor before = model.resnet().stateDict().get("layer1.0.bn1.running_mean").copy();
        try (Scope s = Scope.open()) {
            Tensor feats = model.encodeImage(Var.constant(images)).data();
            assertClose(Npy.read(DIR.resolve("image_features.npy")), feats, 1e-5, 1e-4, "frozen batch norm in training mode = eval mode");
        }
        assertClose(before, model.resnet().stateDict().get("layer1.0.bn1.running_mean"), 0, 0, "running mean not updated");
    }
}

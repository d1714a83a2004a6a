package clipcl.clip.model;

import static clipcl.clip.model.ClipGoldenTest.GOLDEN;
import static clipcl.clip.model.ClipGoldenTest.WEIGHTS;
import static clipcl.clip.model.ClipGoldenTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import clipcl.autograd.F;
import clipcl.autograd.Var;
import clipcl.autograd.checkpoint.Checkpoint;
import clipcl.autograd.checkpoint.TrainState;
import clipcl.autograd.optim.AdamW;
import clipcl.autograd.optim.GradClip;
import clipcl.autograd.optim.Optimizer;
import clipcl.autograd.optim.ParamGroups;
import clipcl.clip.config.ClipConfig;
import clipcl.clip.weights.StateDict;
import clipcl.clip.weights.WeightLoader;
import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.Npy;
import clipcl.tensor.strict.StrictBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLIP on the strict test device ({@link Device#TEST}): the golden tiny model gives PyTorch's
 * features and the CPU's bit for bit, and contrastive training steps (both towers, AdamW, global
 * norm clipping) give the CPU's losses and weights bit for bit with no transfer inside a step;
 * checkpoints written from the device load on the device and on the CPU. A GPU backend refuses host
 * operands as this device does, so this is the CI proof that CLIP trains unchanged on a GPU.
 */
class ClipStrictDeviceTest {
    @Test
    void goldenFeaturesOnTheTestDeviceEqualTheCpu() throws Exception {
        ClipConfig cfg = ClipGoldenTest.config();
        Clip cpu, dev;
        try (StateDict sd = WeightLoader.load(WEIGHTS.resolve("openai.safetensors"))) {
            cpu = Clip.fromStateDict(cfg, sd.tensors());
            dev = Clip.fromStateDict(cfg, sd.tensors());
        }
        dev.to(Device.TEST);
        Tensor images = Npy.read(GOLDEN.resolve("images.npy")), ids = Npy.read(GOLDEN.resolve("text_ids.npy"));
        Tensor img = dev.encodeImages(images, 2), txt = dev.encodeTexts(ids, 3);
        assertEquals(Device.TEST, img.device());
        assertClose(Npy.read(GOLDEN.resolve("image_features.npy")), img, 1e-5, 1e-4, "image features on test");
        assertClose(Npy.read(GOLDEN.resolve("text_features.npy")), txt, 1e-5, 1e-4, "text features on test");
        assertArrayEquals(cpu.encodeImages(images, 2).toDoubleArray(), img.toDoubleArray(), 0.0, "image features: test vs cpu");
        assertArrayEquals(cpu.encodeTexts(ids, 3).toDoubleArray(), txt.toDoubleArray(), 0.0, "text features: test vs cpu");
    }

    /** Losses of each step, then every weight, after `steps` contrastive steps on device. */
    static double[] train(ClipConfig cfg, Device device, int steps, Path ckpt) throws Exception {
        Clip model = Clip.create(cfg, 11, device);
        Optimizer opt = new AdamW(ParamGroups.openClip(model.namedParameters(), 0.1), 1e-3, 0.9, 0.98, 1e-6);
        int b = 4, side = cfg.vision().imageSize(), ctx = cfg.text().contextLength();
        Tensor labels = Tensor.arange(b, DType.I32, device);
        List<Double> out = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            Rng rng = new Rng(100 + step);
            Tensor images = rng.normal(DType.F32, 0, 1, b, 3, side, side).to(device);
            int[] ids = new int[b * ctx];
            for (int i = 0; i < b; i++) {
                ids[i * ctx] = 1;
                for (int j = 1; j < 5; j++) ids[i * ctx + j] = 2 + rng.nextInt(cfg.text().vocabSize() - 3);
                ids[i * ctx + 5] = cfg.text().vocabSize() - 1;                // end of text: the highest id
            }
            Tensor tokens = Tensor.of(ids, b, ctx).to(device);
            StrictBackend.resetTransfers();
            Tensor lossValue;
            try (Scope s = Scope.open()) {
                Var logits = model.logits(model.encodeImage(Var.constant(images)), model.encodeText(tokens));
                Var loss = F.crossEntropy(logits, labels).add(F.crossEntropy(logits.mT(), labels)).mul(0.5);
                loss.backward();
                lossValue = s.keep(loss.data());
            }
            Tensor norm = GradClip.clipGlobalNormTensor(model.trainableParameters().values(), 1.0);
            opt.step();
            opt.zeroGrad();
            norm.close();
            if (device.kind() == Device.Kind.TEST) assertEquals(0, StrictBackend.transfers(), "transfers inside training step " + step + " on " + device);
            out.add(lossValue.item());
            images.close();
            tokens.close();
        }
        if (ckpt != null) Checkpoint.save(ckpt, model, opt, new TrainState(steps, new Rng(1), null));
        for (Var v : model.namedParameters().values()) for (double x : v.data().toDoubleArray()) out.add(x);
        model.release();
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void contrastiveTrainingOnTheTestDeviceEqualsTheCpu(@TempDir Path dir) throws Exception {
        ClipConfig cfg = ClipGoldenTest.config();
        double[] cpu = train(cfg, Device.CPU, 3, null), dev = train(cfg, Device.TEST, 3, dir.resolve("ckpt"));
        assertArrayEquals(cpu, dev, 0.0, "losses and weights after 3 steps: test vs cpu");

        // The checkpoint written from the device loads onto the device and onto the CPU, equal.
        Clip onDev = Clip.create(cfg, 5, Device.TEST), onCpu = Clip.create(cfg, 5);
        Optimizer od = new AdamW(ParamGroups.openClip(onDev.namedParameters(), 0.1), 1e-3), oc = new AdamW(ParamGroups.openClip(onCpu.namedParameters(), 0.1), 1e-3);
        Checkpoint.load(dir.resolve("ckpt"), onDev, od);
        Checkpoint.load(dir.resolve("ckpt"), onCpu, oc);
        assertEquals(Device.TEST, onDev.device());
        for (String n : onCpu.namedParameters().keySet()) {
            assertArrayEquals(onCpu.parameter(n).data().toDoubleArray(), onDev.parameter(n).data().toDoubleArray(), 0.0, n);
        }
        for (var e : oc.stateTensors().entrySet()) {
            Tensor t = od.stateTensors().get(e.getKey());
            assertEquals(Device.TEST, t.device(), e.getKey());
            assertArrayEquals(e.getValue().toDoubleArray(), t.toDoubleArray(), 0.0, e.getKey());
        }
    }
}

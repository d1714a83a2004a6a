package clipcl.clip.bench;

import clipcl.autograd.F;
import clipcl.autograd.Var;
import clipcl.autograd.optim.AdamW;
import clipcl.autograd.optim.GradClip;
import clipcl.autograd.optim.Optimizer;
import clipcl.autograd.optim.ParamGroups;
import clipcl.clip.config.ClipConfig;
import clipcl.clip.config.ModelConfigs;
import clipcl.clip.model.Clip;
import clipcl.tensor.Backend;
import clipcl.tensor.Backends;
import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times CLIP training steps through the normal autograd path on any device: a model of a built-in
 * config (ViT-B-32 by default) with random weights, random images and token ids of the given batch
 * made once on the device, then per step both towers forward, the symmetric contrastive loss,
 * backward, global-norm clipping (1.0) and an AdamW step (open_clip's parameter groups, weight
 * decay 0.2). Prints {@code bench <name> <value> <unit>} lines, the format scripts/gpu-run.sh
 * collects: samples/s and ms per step (median of the timed steps, each ended by a device
 * synchronisation) and, where the backend tracks it, peak device memory.
 *
 * <pre>
 * java -cp tensor.jar:autograd.jar:clip-model.jar[:cuda-kernels.jar:javacpp jars] clipcl.clip.bench.TrainStepBench \
 *      --device cuda --model ViT-B-32 --batch 128 --steps 10 --warmup 3
 * </pre>
 */
public final class TrainStepBench {
    /** What one run measured. */
    public record Result(String name, double samplesPerSecond, double msPerStep, long peakBytes, double firstLoss, double lastLoss) { }

    private TrainStepBench() { }

    public static void main(String[] args) {
        String device = "cpu", model = "ViT-B-32";
        int batch = 32, steps = 5, warmup = 2;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                System.out.println("usage: TrainStepBench [--device cpu|cuda[:N]|test] [--model NAME] [--batch B] [--steps N] [--warmup W]");
                return;
            }
            if (i + 1 >= args.length) throw new IllegalArgumentException("TrainStepBench: " + a + " needs a value");
            String v = args[++i];
            switch (a) {
                case "--device" -> device = v;
                case "--model" -> model = v;
                case "--batch" -> batch = Integer.parseInt(v);
                case "--steps" -> steps = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("TrainStepBench: unknown option " + a);
            }
        }
        run(ModelConfigs.byName(model), model, Device.parse(device), batch, steps, warmup, System.out);
    }

    public static Result run(ClipConfig cfg, String modelName, Device device, int batch, int steps, int warmup, PrintStream out) {
        if (batch < 2 || steps < 1 || warmup < 0) throw new IllegalArgumentException("TrainStepBench: needs batch >= 2, steps >= 1, warmup >= 0");
        Backend backend = Backends.get(device);
        Clip clip = Clip.create(cfg, 1, device);
        Optimizer opt = new AdamW(ParamGroups.openClip(clip.namedParameters(), 0.2), 5e-4, 0.9, 0.98, 1e-6);
        int side = cfg.vision().imageSize(), ctx = cfg.text().contextLength(), vocab = cfg.text().vocabSize();
        Rng rng = new Rng(7);
        Tensor images, ids, labels = Tensor.arange(batch, DType.I32, device);
        images = onDevice(rng.normal(DType.F32, 0, 1, batch, 3, side, side), device);
        int[] tok = new int[batch * ctx];
        for (int i = 0; i < batch; i++) {
            int len = 3 + rng.nextInt(Math.max(1, ctx - 4));
            tok[i * ctx] = vocab - 2;                                        // start of text
            for (int j = 1; j < len; j++) tok[i * ctx + j] = 1 + rng.nextInt(vocab - 3);
            tok[i * ctx + len] = vocab - 1;                                  // end of text: the highest id
        }
        ids = onDevice(Tensor.of(tok, batch, ctx), device);
        out.printf(Locale.ROOT, "train-step: %s on %s (%s backend), batch %d, %,d parameters, %d warm-up + %d timed steps%n",
                modelName, device, backend.name(), batch, clip.numParameters(), warmup, steps);
        double[] ms = new double[steps];
        double first = Double.NaN, last = Double.NaN;
        for (int s = 0; s < warmup + steps; s++) {
            if (s == warmup) backend.resetPeakMemory();
            long t0 = System.nanoTime();
            Tensor loss = step(clip, opt, images, ids, labels);
            backend.synchronize();
            long t1 = System.nanoTime();
            double l = loss.item();
            loss.close();
            if (s == 0) first = l;
            last = l;
            if (s >= warmup) ms[s - warmup] = (t1 - t0) / 1e6;
            out.printf(Locale.ROOT, "  step %d: loss %.4f, %.1f ms%n", s, l, (t1 - t0) / 1e6);
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        long peak = backend.peakMemoryBytes();
        String name = "train_step_" + modelName.toLowerCase(Locale.ROOT).replace('-', '_').replace('/', '_') + "_b" + batch;
        double sps = batch / (median / 1e3);
        out.printf(Locale.ROOT, "bench %s_samples_per_s %.3f samples/s%n", name, sps);
        out.printf(Locale.ROOT, "bench %s_ms %.3f ms%n", name, median);
        if (peak >= 0) out.printf(Locale.ROOT, "bench %s_peak_mem %d B%n", name, peak);
        images.close();
        ids.close();
        labels.close();
        clip.release();
        return new Result(name, sps, median, peak, first, last);
    }

    private static Tensor onDevice(Tensor host, Device device) {
        if (host.device().equals(device)) return host;
        Tensor t = host.to(device);
        host.close();
        return t;
    }

    /** One training step; returns the loss (a scalar on the device, owned by the caller). */
    static Tensor step(Clip clip, Optimizer opt, Tensor images, Tensor ids, Tensor labels) {
        Tensor loss;
        try (Scope s = Scope.open()) {
            Var logits = clip.logits(clip.encodeImage(Var.constant(images)), clip.encodeText(ids));      // [B, B]
            Var l = F.crossEntropy(logits, labels).add(F.crossEntropy(logits.mT(), labels)).mul(0.5);
            l.backward();
            loss = s.keep(l.data());
        }
        Tensor norm = GradClip.clipGlobalNormTensor(clip.trainableParameters().values(), 1.0); // stays on the device: no sync
        opt.step();
        opt.zeroGrad();
        if (norm != null) norm.close();
        return loss;
    }
}

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
 * <p>{@code --check} first trains a one-layer model of the same widths (vocabulary 1,000, batch 4)
 * for three steps on the CPU and on the device from the same weights and data, prints both loss
 * curves and the largest differences, and fails (exit status 1) when a loss differs by more than
 * 1e-3 relative: the device's training path checked against the CPU's in one command. The check runs
 * at the matrix precision --matmul sets (the backend reads it once), so 1e-3 holds for fp32; BF16
 * products drift further within three steps. {@code --check-only} runs the check alone, e.g. at
 * fp32 in one process before a BF16 benchmark in another.
 *
 * <pre>
 * java -cp tensor.jar:autograd.jar:clip-model.jar[:cuda-kernels.jar:javacpp jars] clipcl.clip.bench.TrainStepBench \
 *      --device cuda --model ViT-B-32 --batch 128 --steps 10 --warmup 3 --check
 * </pre>
 */
public final class TrainStepBench {
    /** What one run measured. */
    public record Result(String name, double samplesPerSecond, double msPerStep, long peakBytes, double firstLoss, double lastLoss) { }

    private TrainStepBench() { }

    public static void main(String[] args) {
        String device = "cpu", model = "ViT-B-32";
        int batch = 32, steps = 5, warmup = 2;
        boolean check = false, checkOnly = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                System.out.println("usage: TrainStepBench [--device cpu|cuda[:N]|test] [--model NAME] [--batch B] [--steps N] [--warmup W] [--check | --check-only] [--matmul fp32|tf32|bf16]");
                return;
            }
            if (a.equals("--check")) { check = true; continue; }
            if (a.equals("--check-only")) { check = true; checkOnly = true; continue; }
            if (i + 1 >= args.length) throw new IllegalArgumentException("TrainStepBench: " + a + " needs a value");
            String v = args[++i];
            switch (a) {
                case "--device" -> device = v;
                case "--model" -> model = v;
                case "--batch" -> batch = Integer.parseInt(v);
                case "--steps" -> steps = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--matmul" -> setMatmul(v);
                default -> throw new IllegalArgumentException("TrainStepBench: unknown option " + a);
            }
        }
        ClipConfig cfg = ModelConfigs.byName(model);
        Device d = Device.parse(device);
        if (check && !check(cfg, d, System.out)) {
            System.out.println("train-step check FAILED: the device's losses differ from the CPU's");
            System.exit(1);
        }
        if (checkOnly) return;
        run(cfg, model, d, batch, steps, warmup, System.out);
    }

    /**
     * The GPU backend's matmul inputs (fp32, tf32 or bf16; FP32 accumulation, FP32 master weights):
     * sets -Dclipcl.cuda.matmul, which the CUDA backend reads when it is created, so call it first.
     */
    public static void setMatmul(String precision) {
        String p = precision.trim().toLowerCase(Locale.ROOT);
        if (!p.equals("fp32") && !p.equals("tf32") && !p.equals("bf16")) throw new IllegalArgumentException("--matmul: expected fp32, tf32 or bf16, got " + precision);
        System.setProperty("clipcl.cuda.matmul", p);
    }

    /** Three steps of a one-layer model of cfg's widths on the CPU and on device; true when the losses agree to 1e-3. */
    public static boolean check(ClipConfig cfg, Device device, PrintStream out) {
        out.printf(Locale.ROOT, "train-step check: one-layer %s-wide model, 3 steps on cpu and on %s (%s backend)%n", cfg.vision().width(), device, Backends.get(device).name());
        var v = cfg.vision();
        var t = cfg.text();
        ClipConfig small = new ClipConfig(cfg.embedDim(), cfg.quickGelu(), new clipcl.clip.config.VisionConfig(v.imageSize(), 1, v.width(), v.patchSize(), v.headWidth()),
                new clipcl.clip.config.TextConfig(t.contextLength(), 1000, t.width(), t.heads(), 1));
        double[][] cpu = trainForCheck(small, Device.CPU, 4, 3), dev = trainForCheck(small, device, 4, 3);
        double worstLoss = 0, worstWeight = 0, scale = 0;
        for (int i = 0; i < cpu[0].length; i++) {
            worstLoss = Math.max(worstLoss, Math.abs(cpu[0][i] - dev[0][i]) / Math.max(1e-12, Math.abs(cpu[0][i])));
            out.printf(Locale.ROOT, "  check step %d: loss cpu %.6f, %s %.6f%n", i, cpu[0][i], device, dev[0][i]);
        }
        for (int i = 0; i < cpu[1].length; i++) {
            worstWeight = Math.max(worstWeight, Math.abs(cpu[1][i] - dev[1][i]));
            scale = Math.max(scale, Math.abs(cpu[1][i]));
        }
        out.printf(Locale.ROOT, "bench train_step_check_loss_max_rel_diff %.3e ratio%n", worstLoss);
        out.printf(Locale.ROOT, "bench train_step_check_weight_max_abs_diff %.3e abs%n", worstWeight);
        out.printf(Locale.ROOT, "train-step check: largest weight |%.3e| after 3 steps%n", scale);
        return worstLoss <= 1e-3 && Double.isFinite(worstWeight);
    }

    /** {losses per step, every weight after the steps} of a seeded run on device. */
    static double[][] trainForCheck(ClipConfig cfg, Device device, int batch, int steps) {
        Clip clip = Clip.create(cfg, 3, device);
        Optimizer opt = new AdamW(ParamGroups.openClip(clip.namedParameters(), 0.2), 5e-4, 0.9, 0.98, 1e-6);
        Tensor[] data = data(cfg, device, batch);
        double[] losses = new double[steps];
        for (int s = 0; s < steps; s++) {
            try (Tensor loss = step(clip, opt, data[0], data[1], data[2])) { losses[s] = loss.item(); }
        }
        java.util.List<Double> w = new java.util.ArrayList<>();
        for (Var p : clip.namedParameters().values()) for (double x : p.data().toDoubleArray()) w.add(x);
        for (Tensor x : data) x.close();
        clip.release();
        return new double[][] {losses, w.stream().mapToDouble(Double::doubleValue).toArray()};
    }

    /** {images [B,3,S,S], token ids [B,context] ending in the highest id, labels 0..B-1}, seeded, on device. */
    public static Tensor[] data(ClipConfig cfg, Device device, int batch) {
        int side = cfg.vision().imageSize(), ctx = cfg.text().contextLength(), vocab = cfg.text().vocabSize();
        Rng rng = new Rng(7);
        Tensor images = onDevice(rng.normal(DType.F32, 0, 1, batch, 3, side, side), device);
        int[] tok = new int[batch * ctx];
        for (int i = 0; i < batch; i++) {
            int len = 3 + rng.nextInt(Math.max(1, ctx - 4));
            tok[i * ctx] = vocab - 2;                                        // start of text
            for (int j = 1; j < len; j++) tok[i * ctx + j] = 1 + rng.nextInt(vocab - 3);
            tok[i * ctx + len] = vocab - 1;                                  // end of text: the highest id
        }
        return new Tensor[] {images, onDevice(Tensor.of(tok, batch, ctx), device), Tensor.arange(batch, DType.I32, device)};
    }

    public static Result run(ClipConfig cfg, String modelName, Device device, int batch, int steps, int warmup, PrintStream out) {
        if (batch < 2 || steps < 1 || warmup < 0) throw new IllegalArgumentException("TrainStepBench: needs batch >= 2, steps >= 1, warmup >= 0");
        Backend backend = Backends.get(device);
        Clip clip = Clip.create(cfg, 1, device);
        Optimizer opt = new AdamW(ParamGroups.openClip(clip.namedParameters(), 0.2), 5e-4, 0.9, 0.98, 1e-6);
        Tensor[] data = data(cfg, device, batch);
        Tensor images = data[0], ids = data[1], labels = data[2];
        out.printf(Locale.ROOT, "train-step: %s on %s (%s backend), batch %d, %,d parameters, %d warm-up + %d timed steps%n",
                modelName, device, backend.name(), batch, clip.numParameters(), warmup, steps);
        double[] ms = new double[steps];
        double first = Double.NaN, last = Double.NaN;
        for (int s = 0; s < warmup + steps; s++) {
            if (s == warmup) backend.resetPeakMemory();
            long t0 = System.nanoTime();
            Tensor loss = step(clip, opt, images, ids, labels);
            long queued = System.nanoTime();
            backend.synchronize();
            long t1 = System.nanoTime();
            double l = loss.item();
            loss.close();
            if (s == 0) first = l;
            last = l;
            if (s >= warmup) ms[s - warmup] = (t1 - t0) / 1e6;
            // Queued: the host's time to issue the step; where it is close to the whole, the host is the limit.
            out.printf(Locale.ROOT, "  step %d: loss %.4f, %.1f ms (queued in %.1f ms)%n", s, l, (t1 - t0) / 1e6, (queued - t0) / 1e6);
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
    public static Tensor step(Clip clip, Optimizer opt, Tensor images, Tensor ids, Tensor labels) {
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

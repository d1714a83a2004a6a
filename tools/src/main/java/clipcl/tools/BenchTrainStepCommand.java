package clipcl.tools;

import clipcl.clip.bench.TrainStepBench;
import clipcl.clip.config.ClipConfig;
import clipcl.tensor.Device;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `clipcl bench train-step`: CLIP training steps through autograd on a device (see {@link TrainStepBench}). */
@Command(name = "train-step", mixinStandardHelpOptions = true,
        description = {"CLIP training steps through autograd (both towers, contrastive loss, global norm clipping, AdamW) with random "
            + "weights on --device; prints \"bench <name> <value> <unit>\" lines: samples/s, ms per step (median), peak device memory",
            "With --peer libtorch the clipcl launcher times the same CPU step in libtorch in one JVM instead, alternating with ours, from our "
            + "weights (the losses of two steps compared first): scripts/bench-peer.sh train-step --help.", ""})
public final class BenchTrainStepCommand implements Callable<Integer> {
    @Mixin
    DeviceOption device = new DeviceOption();

    @Mixin
    BuiltInModelOption model = new BuiltInModelOption();

    @Option(names = "--batch", paramLabel = "B", description = "batch size (default ${DEFAULT-VALUE})")
    int batch = 32;

    @Option(names = "--steps", paramLabel = "N", description = "timed steps (default ${DEFAULT-VALUE})")
    int steps = 5;

    @Option(names = "--warmup", paramLabel = "W", description = "untimed steps first (default ${DEFAULT-VALUE})")
    int warmup = 2;

    @Option(names = "--check", description = {
        "first compare a one-layer model's losses on the CPU and the device (exit 1 if they differ by more than 1e-3);",
        "it runs at --matmul's precision: use fp32 for the check (BF16 products drift further within its three steps)"})
    boolean check;

    @Option(names = "--matmul", paramLabel = "P", description = {
        "the GPU's matmul inputs: fp32 (default), tf32 or bf16, with FP32 accumulation and FP32 master weights"})
    String matmul;

    @Override
    public Integer call() {
        if (matmul != null) {
            try {
                TrainStepBench.setMatmul(matmul);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        Device d = device.device();
        ClipConfig cfg = model.config();
        if (check && !TrainStepBench.check(cfg, d, System.out)) {
            System.err.println("clipcl bench train-step: check FAILED: the losses on " + d + " differ from the CPU's");
            return 1;
        }
        try {
            TrainStepBench.run(cfg, model.name, d, batch, steps, warmup, System.out);
        } catch (OutOfMemoryError e) {
            // the activations of a full model at this batch outgrow the default heap (a quarter of the machine)
            System.err.printf(java.util.Locale.ROOT, "clipcl bench train-step: the Java heap (%.1f GiB) ran out at batch %d; give a larger one, "
                    + "e.g. CLIPCL_JAVA_OPTS=-Xmx12g (ViT-B-32 at batch 32 runs in 12 GiB, not in 6), or a smaller --batch%n",
                    Runtime.getRuntime().maxMemory() / (double) (1L << 30), batch);
            return 1;
        }
        return 0;
    }
}

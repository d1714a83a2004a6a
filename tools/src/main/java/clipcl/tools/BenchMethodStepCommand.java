package clipcl.tools;

import clipcl.clip.demo.DemoConfig;
import clipcl.clip.model.Clip;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.method.Methods;
import clipcl.continual.protocol.Clip0;
import clipcl.continual.protocol.Protocol;
import clipcl.continual.protocol.StepTimer;
import clipcl.continual.protocol.StudyConfig;
import clipcl.continual.train.TrainConfig;
import clipcl.continual.train.UpdateOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `clipcl bench method-step`: the training step of continual methods side by side on the embedded
 * benchmark (the quick CLIP_0, the command's --quick session settings), the first method the baseline.
 */
@Command(name = "method-step", mixinStandardHelpOptions = true,
        description = {"time one training step of continual methods on the embedded benchmark, side by side", "",
            "Each method trains the first session of --protocol from the quick CLIP_0 (batch 256, AdamW, the continual command's --quick "
                + "settings) for --warmup + --steps steps; only the time between consecutive steps counts (teacher copies, evaluation "
                + "and checkpoints fall outside). The methods alternate --rounds times; the table gives the median, 10th and 90th "
                + "percentile of every timed step and each method's median over the first method's.", ""},
        footer = {"", "Examples:",
            "  clipcl bench method-step --methods ft,vr-lwf --protocol ost",
            "  clipcl bench method-step --methods clip-ct,mod-x --protocol stream --rounds 5"})
public final class BenchMethodStepCommand implements Callable<Integer> {
    @Option(names = "--methods", paramLabel = "M,M,...", description = {"comma-separated method specs, the first the baseline (default ${DEFAULT-VALUE}); a spec's own options keep their "
        + "commas (mod-x:rule=class,alpha=5,clip-ct is two specs)"}, split = ",(?![^:,]*=)", splitSynopsisLabel = ",")
    List<String> methods = List.of("ft", "vr-lwf");

    @Option(names = "--protocol", paramLabel = "P", description = "ost, mst or stream (default ${DEFAULT-VALUE}); stream trains contrastively, ost and mst with paper A's class prompts")
    String protocol = "ost";

    @Option(names = "--steps", paramLabel = "N", description = "timed steps a round (default ${DEFAULT-VALUE})")
    int steps = 20;

    @Option(names = "--warmup", paramLabel = "W", description = "untimed steps first, each round (default ${DEFAULT-VALUE})")
    int warmup = 3;

    @Option(names = "--rounds", paramLabel = "R", description = "rounds; each runs every method once, in order (default ${DEFAULT-VALUE})")
    int rounds = 3;

    @Mixin
    EmbeddedDataOptions embedded = new EmbeddedDataOptions();

    @Mixin
    DeviceOption device = new DeviceOption();

    @Override
    public Integer call() throws Exception {
        Protocol proto;
        try {
            proto = Protocol.parse(protocol);
            for (String m : methods) Methods.byName(m);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (steps < 1 || warmup < 1 || rounds < 1) throw new UsageException("--steps, --warmup and --rounds must be >= 1");
        clipcl.tensor.Device dev = device.device();
        Benchmark bench = embedded.load("clipcl bench method-step");
        DemoConfig d = DemoConfig.quick();
        ImageTensors images = new ImageTensors(d.imageSize(), false);
        Clip clip0 = Clip0.obtain(d, bench, images, embedded.cacheDir(), new ContinualCommand.Bars("clipcl bench method-step"));
        // the continual command's --quick session (lr 3e-4, batch 256, cosine, 10% warm-up); no checkpoint inside the window
        TrainConfig tc = new TrainConfig(256, proto == Protocol.OST ? 3 : 5, 3e-4, 0.1, "adamw", "cosine", 0.1, 1.0,
                proto.defaultObjective(), false, true, true, 0, 1_000_000, 0);
        StudyConfig base = new StudyConfig(methods.get(0), proto, UpdateOption.WM, 1, tc, 200, 2, 5, null, dev);
        System.err.printf(Locale.ROOT, "clipcl bench method-step: %s, %d rounds of %d + %d steps, batch %d, %d threads%n", proto.id(), rounds,
                warmup, steps, tc.batch(), Runtime.getRuntime().availableProcessors());
        List<StepTimer.Times> t = StepTimer.time(base, methods, bench, clip0, images, warmup, steps, rounds, line -> System.err.println("  " + line));
        double baseline = t.get(0).median();
        System.out.println("| method | protocol | ms a step (median) | p10 - p90 | steps timed | over " + t.get(0).method() + " |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        for (StepTimer.Times x : t) {
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f - %.1f | %d | %.2fx |%n", x.method(), proto.id(), 1e3 * x.median(),
                    1e3 * x.p10(), 1e3 * x.p90(), x.samples(), x.median() / baseline);
        }
        return 0;
    }
}

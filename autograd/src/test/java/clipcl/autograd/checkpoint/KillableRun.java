package clipcl.autograd.checkpoint;

import clipcl.autograd.Var;
import clipcl.autograd.nn.Init;
import clipcl.autograd.nn.Activation;
import clipcl.autograd.nn.Mlp;
import clipcl.autograd.optim.AdamW;
import clipcl.autograd.optim.GradClip;
import clipcl.autograd.optim.Optimizer;
import clipcl.autograd.optim.ParamGroups;
import clipcl.autograd.optim.Schedule;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.AtomicFiles;
import clipcl.tensor.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small training run that checkpoints after every step and resumes when its folder holds a
 * checkpoint; it ends by writing metrics.json (every loss and the final weights' CRC). Started as
 * a separate process by {@link KillResumeTest}, which kills it with SIGKILL at random moments.
 */
public final class KillableRun {
    private KillableRun() { }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int total = Integer.parseInt(args[1]);
        Path ckpt = dir.resolve("checkpoint");
        boolean resume = RunFolder.begin(ckpt, Checkpoint.exists(ckpt), false);
        Mlp m = new Mlp(16, 32, Activation.QUICK_GELU, Init.f32(1));
        Optimizer opt = new AdamW(ParamGroups.openClip(m.namedParameters(), 0.1), 0);
        Schedule sched = new Schedule.CosineWarmup(3e-3, 2, total);
        Rng data = new Rng(77);
        long start = 0;
        List<Object> losses = new ArrayList<>();
        if (resume) {
            TrainState st = Checkpoint.load(ckpt, m, opt);
            start = st.step();
            data = st.rngs().get("data");
            losses.addAll((List<?>) st.extra().get("losses"));
        }
        for (long s = start; s < total; s++) {
            losses.add(step(m, opt, sched, s, data));
            Checkpoint.save(ckpt, m, opt, new TrainState(s + 1, Map.of("data", data), sched, Map.of("losses", List.copyOf(losses))));
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("losses", losses);
        metrics.put("weights_crc32", StagedSave.crc32(ckpt.resolve(Checkpoint.MODEL)));
        AtomicFiles.write(dir.resolve("metrics.json"), Json.pretty(metrics).getBytes(StandardCharsets.UTF_8));
    }

    /** One training step on a batch drawn from data; everything temporary dies with the scope. */
    static double step(Mlp m, Optimizer opt, Schedule sched, long step, Rng data) {
        try (Scope s = Scope.open()) {
            sched.apply(opt, step);
            Tensor x = data.uniform(DType.F32, -1, 1, 3, 5, 16);   // [3, 5, 16]
            Var loss = m.forward(Var.constant(x)).square().mean();
            loss.backward();
            GradClip.clipGlobalNorm(m.trainableParameters().values(), 0.5);
            opt.step();
            opt.zeroGrad();
            return loss.item();
        }
    }
}

package clipcl.continual.train;

import clipcl.autograd.optim.Adam;
import clipcl.autograd.optim.AdamW;
import clipcl.autograd.optim.Optimizer;
import clipcl.autograd.optim.ParamGroup;
import clipcl.autograd.optim.ParamGroups;
import clipcl.autograd.optim.Schedule;
import clipcl.autograd.optim.Sgd;
import clipcl.clip.model.Clip;
import java.util.List;

/** Builds a session's optimizer (over the parameters trainable now) and schedule from a {@link TrainConfig}. */
public final class Optimizers {
    private Optimizers() { }

    /**
     * open_clip's groups (no decay on gains, biases and logit_scale) over the trainable parameters;
     * AdamW/Adam with beta1 0.9 and the config's beta2 and eps (CLIP's 0.98 and 1e-6 unless set), or SGD
     * with momentum 0.9.
     */
    public static Optimizer build(TrainConfig cfg, Clip model) {
        List<ParamGroup> groups = ParamGroups.openClip(model.namedParameters(), cfg.weightDecay());
        if (groups.isEmpty()) throw new IllegalStateException("no trainable parameters: the update option froze the whole model");
        return switch (cfg.optimizer()) {
            case "adamw" -> new AdamW(groups, cfg.lr(), 0.9, cfg.adamBeta2(), cfg.adamEps());
            case "adam" -> new Adam(groups, cfg.lr(), 0.9, cfg.adamBeta2(), cfg.adamEps());
            case "sgd" -> new Sgd(groups, cfg.lr(), 0.9);
            default -> throw new IllegalArgumentException("optimizer '" + cfg.optimizer() + "'");
        };
    }

    public static Schedule schedule(TrainConfig cfg, long steps) {
        if (cfg.schedule().equals("constant")) return new Schedule.Constant(cfg.lr());
        double drop = TrainConfig.stepDropEpochs(cfg.schedule());
        if (drop > 0) {
            // x0.1 once `drop` of the session's epochs are done; a drop at or after the end never happens
            long every = Math.max(1, Math.round(steps * drop / cfg.epochs()));
            return new Schedule.StepDecay(cfg.lr(), every, 0.1);
        }
        // a session of one step (a small phase of a stream) has no room to warm up
        return new Schedule.CosineWarmup(cfg.lr(), Math.min(steps - 1, Math.max(1, (long) (steps * cfg.warmupFraction()))), steps);
    }
}

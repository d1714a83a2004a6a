package clipcl.autograd.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A learning rate as a function of the step (0-based, the step about to be taken), as open_clip's
 * scheduler functions. Records so a checkpoint can store and rebuild them from JSON.
 */
public sealed interface Schedule permits Schedule.Constant, Schedule.StepDecay, Schedule.CosineWarmup {

    double lr(long step);

    /** The schedule's kind and parameters for a checkpoint. */
    Map<String, Object> toJson();

    /** Sets the optimizer's learning rate for this step and returns it. */
    default double apply(Optimizer opt, long step) {
        double lr = lr(step);
        opt.setLr(lr);
        return lr;
    }

    /** The same rate at every step, with an optional linear warm-up (open_clip's const_lr). */
    record Constant(double baseLr, long warmup) implements Schedule {
        public Constant(double baseLr) { this(baseLr, 0); }

        public double lr(long step) { return step < warmup ? warmupLr(baseLr, warmup, step) : baseLr; }

        public Map<String, Object> toJson() { return json("constant", "base_lr", baseLr, "warmup", warmup); }
    }

    /** baseLr * gamma^(step / every), integer division (torch's StepLR). */
    record StepDecay(double baseLr, long every, double gamma) implements Schedule {
        public StepDecay {
            if (every <= 0) throw new IllegalArgumentException("step decay: 'every' must be > 0, got " + every);
        }

        public double lr(long step) { return baseLr * Math.pow(gamma, step / every); }

        public Map<String, Object> toJson() { return json("step", "base_lr", baseLr, "every", every, "gamma", gamma); }
    }

    /**
     * Linear warm-up to baseLr over {@code warmup} steps, then half a cosine down to 0 at
     * {@code steps} (open_clip's cosine_lr: warm-up lr = base * (step + 1) / warmup).
     */
    record CosineWarmup(double baseLr, long warmup, long steps) implements Schedule {
        public CosineWarmup {
            if (warmup < 0 || steps <= warmup) throw new IllegalArgumentException("cosine schedule: need 0 <= warmup < steps, got warmup " + warmup + ", steps " + steps);
        }

        public double lr(long step) {
            if (step < warmup) return warmupLr(baseLr, warmup, step);
            long e = step - warmup, es = steps - warmup;
            return 0.5 * (1 + Math.cos(Math.PI * e / es)) * baseLr;
        }

        public Map<String, Object> toJson() { return json("cosine", "base_lr", baseLr, "warmup", warmup, "steps", steps); }
    }

    private static double warmupLr(double base, long warmup, long step) { return base * (step + 1) / warmup; }

    private static Map<String, Object> json(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kv[0]);
        for (int i = 1; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** Rebuilds a schedule written by {@link #toJson}. */
    static Schedule fromJson(Map<String, Object> m) {
        Object kind = m.get("kind");
        try {
            return switch (String.valueOf(kind)) {
                case "constant" -> new Constant(num(m, "base_lr"), (long) num(m, "warmup"));
                case "step" -> new StepDecay(num(m, "base_lr"), (long) num(m, "every"), num(m, "gamma"));
                case "cosine" -> new CosineWarmup(num(m, "base_lr"), (long) num(m, "warmup"), (long) num(m, "steps"));
                default -> throw new IllegalArgumentException("unknown schedule kind '" + kind + "'");
            };
        } catch (NullPointerException | ClassCastException e) {
            throw new IllegalArgumentException("bad schedule entry " + m + ": " + e.getMessage());
        }
    }

    private static double num(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof Number n)) throw new IllegalArgumentException("schedule field '" + k + "' missing or not a number in " + m);
        return n.doubleValue();
    }
}

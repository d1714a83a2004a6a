package clipcl.continual.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one session trains. Every field lands in the run's config.json.
 *
 * @param batch             images per step (replayed ones included)
 * @param epochs            passes over the session's items (steps = epochs * items / batch, at least 1)
 * @param optimizer         "adamw", "adam" or "sgd" (momentum 0.9)
 * @param schedule          "cosine" (with warm-up), "constant", or "step:E" (x0.1 once E epochs of the session are done:
 *                          paper A's OST drops the rate after epoch 10 of 15)
 * @param warmupFraction    share of a session's steps spent warming up (cosine)
 * @param clipNorm          global gradient-norm clip (0 = off)
 * @param objective         "contrastive" (InfoNCE both ways) or "class_ce" (paper A's prompts)
 * @param multiPositive     contrastive: identical captions are positives of each other
 * @param maskToSession     class_ce: mask logits to the session's classes
 * @param resetOptimizer    a fresh optimizer state and schedule at every session start
 * @param evalEvery         evaluate the new task every k steps inside a session (0 = only at the end)
 * @param checkpointEvery   checkpoint every k steps (and always at every session end)
 * @param replayFraction    share of each batch drawn from the replay buffer once it holds items
 * @param adamBeta2         Adam/AdamW's second-moment decay (CLIP's 0.98 by default; paper B's scripts 0.99)
 * @param adamEps           Adam/AdamW's epsilon (CLIP's 1e-6 by default; paper B's 1e-8)
 */
public record TrainConfig(int batch, double epochs, double lr, double weightDecay, String optimizer, String schedule,
                          double warmupFraction, double clipNorm, String objective, boolean multiPositive, boolean maskToSession,
                          boolean resetOptimizer, int evalEvery, int checkpointEvery, double replayFraction, double adamBeta2, double adamEps) {
    /** CLIP's (and open_clip's) Adam settings: betas (0.9, 0.98), eps 1e-6. */
    public static final double CLIP_BETA2 = 0.98, CLIP_EPS = 1e-6;

    /** With CLIP's Adam settings. */
    public TrainConfig(int batch, double epochs, double lr, double weightDecay, String optimizer, String schedule,
                       double warmupFraction, double clipNorm, String objective, boolean multiPositive, boolean maskToSession,
                       boolean resetOptimizer, int evalEvery, int checkpointEvery, double replayFraction) {
        this(batch, epochs, lr, weightDecay, optimizer, schedule, warmupFraction, clipNorm, objective, multiPositive, maskToSession,
                resetOptimizer, evalEvery, checkpointEvery, replayFraction, CLIP_BETA2, CLIP_EPS);
    }

    public TrainConfig {
        if (batch <= 0) throw new IllegalArgumentException("train config: batch must be positive, got " + batch);
        if (!(epochs > 0)) throw new IllegalArgumentException("train config: epochs must be positive, got " + epochs);
        if (!(lr > 0)) throw new IllegalArgumentException("train config: lr must be positive, got " + lr);
        if (!Map.of("adamw", 1, "adam", 1, "sgd", 1).containsKey(optimizer)) throw new IllegalArgumentException("train config: optimizer '" + optimizer + "': expected adamw, adam or sgd");
        if (!schedule.equals("cosine") && !schedule.equals("constant") && !(stepDropEpochs(schedule) > 0)) {
            throw new IllegalArgumentException("train config: schedule '" + schedule + "': expected cosine, constant or step:E (x0.1 after E epochs, E > 0)");
        }
        if (!objective.equals("contrastive") && !objective.equals("class_ce")) throw new IllegalArgumentException("train config: objective '" + objective + "': expected contrastive or class_ce");
        if (evalEvery < 0) throw new IllegalArgumentException("train config: eval_every must be >= 0, got " + evalEvery);
        if (checkpointEvery <= 0) throw new IllegalArgumentException("train config: checkpoint_every must be positive, got " + checkpointEvery);
        if (replayFraction < 0 || replayFraction >= 1) throw new IllegalArgumentException("train config: replay_fraction must be in [0, 1), got " + replayFraction);
        if (!(clipNorm >= 0) || !Double.isFinite(clipNorm)) throw new IllegalArgumentException("train config: clip_norm must be >= 0 (0: off), got " + clipNorm);
        if (!(adamBeta2 >= 0 && adamBeta2 < 1)) throw new IllegalArgumentException("train config: adam_beta2 must be in [0, 1), got " + adamBeta2);
        if (!(adamEps > 0) || !Double.isFinite(adamEps)) throw new IllegalArgumentException("train config: adam_eps must be a positive number, got " + adamEps);
    }

    /** E of a "step:E" schedule; NaN for any other schedule or a malformed E. */
    public static double stepDropEpochs(String schedule) {
        if (!schedule.startsWith("step:")) return Double.NaN;
        try {
            return Double.parseDouble(schedule.substring(5));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Steps of a session with this many items. */
    public long steps(int items) { return Math.max(1, (long) Math.floor(epochs * (items / batch))); }

    public TrainConfig withEpochs(double e) {
        return new TrainConfig(batch, e, lr, weightDecay, optimizer, schedule, warmupFraction, clipNorm, objective, multiPositive, maskToSession, resetOptimizer, evalEvery, checkpointEvery, replayFraction, adamBeta2, adamEps);
    }

    public TrainConfig withObjective(String o) {
        return new TrainConfig(batch, epochs, lr, weightDecay, optimizer, schedule, warmupFraction, clipNorm, o, multiPositive, maskToSession, resetOptimizer, evalEvery, checkpointEvery, replayFraction, adamBeta2, adamEps);
    }

    public TrainConfig withCheckpointEvery(int k) {
        return new TrainConfig(batch, epochs, lr, weightDecay, optimizer, schedule, warmupFraction, clipNorm, objective, multiPositive, maskToSession, resetOptimizer, evalEvery, k, replayFraction, adamBeta2, adamEps);
    }

    public TrainConfig withBatch(int b) {
        return new TrainConfig(b, epochs, lr, weightDecay, optimizer, schedule, warmupFraction, clipNorm, objective, multiPositive, maskToSession, resetOptimizer, evalEvery, checkpointEvery, replayFraction, adamBeta2, adamEps);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch", batch);
        m.put("epochs", epochs);
        m.put("lr", lr);
        m.put("weight_decay", weightDecay);
        m.put("optimizer", optimizer);
        m.put("schedule", schedule);
        m.put("warmup_fraction", warmupFraction);
        m.put("clip_norm", clipNorm);
        m.put("objective", objective);
        m.put("multi_positive", multiPositive);
        m.put("mask_to_session", maskToSession);
        m.put("reset_optimizer", resetOptimizer);
        m.put("eval_every", evalEvery);
        m.put("checkpoint_every", checkpointEvery);
        m.put("replay_fraction", replayFraction);
        // written only when set, so that the settings of runs made before these existed read the same
        if (adamBeta2 != CLIP_BETA2) m.put("adam_beta2", adamBeta2);
        if (adamEps != CLIP_EPS) m.put("adam_eps", adamEps);
        return m;
    }
}

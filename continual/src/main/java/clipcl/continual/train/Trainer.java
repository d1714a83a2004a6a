package clipcl.continual.train;

import clipcl.autograd.Var;
import clipcl.autograd.checkpoint.LossGuard;
import clipcl.autograd.optim.GradClip;
import clipcl.autograd.optim.Optimizer;
import clipcl.autograd.optim.Schedule;
import clipcl.clip.model.Clip;
import clipcl.continual.data.CaptionTemplates;
import clipcl.continual.data.EpochSampler;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.LabeledImages;
import clipcl.continual.data.ReplayBuffer;
import clipcl.tensor.Device;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one session: for each step, a batch (its items a function of (seed, step), its augmentation and
 * captions drawn from a generator keyed by (seed, session, step)), the weighted sum of the loss terms
 * and regularizers, backward, gradient clipping, an optimizer step, and the clamp of
 * {@code logit_scale} to [0, ln 100]. Every term's value is logged by name each step. Nothing here
 * knows which method runs: methods only contribute terms, regularizers and a replay buffer.
 */
public final class Trainer {
    public static final double MAX_LOGIT_SCALE = Math.log(100);

    /** What the protocol does at step boundaries (checkpoint, evaluate). */
    public interface Callbacks {
        /** The log of a step just taken (loss terms by name, lr, logit scale, in-session evaluation). */
        void logged(long done, Map<String, Double> log);

        /** After step {@code done} (1-based count of steps taken in this session). */
        void checkpoint(long done) throws IOException;

        /** Evaluation inside the session; its values join that step's log. */
        default Map<String, Double> evaluate(long done) { return Map.of(); }
    }

    /**
     * Everything one session needs.
     *
     * @param sessionIndex  0-based, mixed into the per-step generators
     * @param steps         the session's step count
     * @param stopAt        return after this many steps of the session (a stand-in for a kill, in tests); Long.MAX_VALUE otherwise
     */
    public record Spec(Clip model, Optimizer optimizer, Schedule schedule, TrainConfig config, long seed, int sessionIndex,
                       LabeledImages data, EpochSampler sampler, ImageTensors images, CaptionTemplates captions, TextEncoder text,
                       List<LossTerm> terms, List<Regularizer> regularizers, ReplayBuffer replay, TeacherContext teacher,
                       long steps, long stopAt) { }

    private Trainer() { }

    /** Runs steps [from, steps); stops early at spec.stopAt (after checkpointing there). */
    public static void run(Spec spec, long from, Callbacks callbacks, SessionListener listener) throws IOException {
        TrainConfig cfg = spec.config();
        Clip model = spec.model();
        model.train(true);
        for (long step = from; step < spec.steps(); step++) {
            if (step >= spec.stopAt()) break;
            Map<String, Double> log = new LinkedHashMap<>();
            log.put("lr", spec.schedule().apply(spec.optimizer(), step));
            try (Scope s = Scope.open()) {
                Batch batch = batch(spec, step);
                StudentOutputs out = new StudentOutputs(model, batch);
                Var total = null;
                for (LossTerm t : spec.terms()) {
                    Var v = t.compute(batch, out, spec.teacher());
                    log.put(t.name(), v.item());
                    total = add(total, v, t.weight());
                }
                for (Regularizer r : spec.regularizers()) {
                    Var v = r.penalty(model);
                    log.put(r.name(), v.item());
                    total = add(total, v, r.weight());
                }
                if (total == null) throw new IllegalStateException("session " + spec.sessionIndex() + ": no loss terms to train on");
                log.put("total", total.item());
                LossGuard.check(step + 1, log, null);
                total.backward();
            }
            if (cfg.clipNorm() > 0) log.put("grad_norm", GradClip.clipGlobalNorm(model.trainableParameters().values(), cfg.clipNorm()));
            spec.optimizer().step();
            spec.optimizer().zeroGrad();
            Var ls = model.logitScale();
            double v = ls.data().item();
            if (v > MAX_LOGIT_SCALE) ls.data().fill(MAX_LOGIT_SCALE);
            else if (v < 0) ls.data().fill(0);
            log.put("logit_scale", Math.exp(ls.data().item()));
            long done = step + 1;
            if (cfg.evalEvery() > 0 && done % cfg.evalEvery() == 0 && done < spec.steps()) {
                log.putAll(callbacks.evaluate(done));
                model.train(true);
            }
            callbacks.logged(done, log);
            listener.step(spec.sessionIndex(), done, log);
            if ((done % cfg.checkpointEvery() == 0 && done < spec.steps()) || done == spec.stopAt()) callbacks.checkpoint(done);
        }
    }

    private static Var add(Var total, Var v, double w) {
        Var wv = w == 1 ? v : v.mul(w);
        return total == null ? wv : total.add(wv);
    }

    /** The batch of a step: sampler items, the tail replaced by replayed items when the buffer has some. */
    static Batch batch(Spec spec, long step) {
        int[] items = spec.sampler().batch(step);
        Rng rng = new Rng(spec.seed() ^ 0x5DEECE66DL, ((spec.sessionIndex() + 1L) << 40) + step * 4096L);
        int replayed = 0;
        LabeledImages data = spec.data();
        int[] labels = new int[items.length];
        for (int i = 0; i < items.length; i++) labels[i] = data.labels()[items[i]];
        ReplayBuffer buf = spec.replay();
        if (buf != null && buf.size() > 0 && spec.config().replayFraction() > 0) {
            replayed = (int) Math.round(items.length * spec.config().replayFraction());
            List<ReplayBuffer.Entry> r = buf.sample(replayed);
            for (int i = 0; i < replayed; i++) {
                items[items.length - replayed + i] = r.get(i).item();
                labels[items.length - replayed + i] = r.get(i).label();
            }
        }
        Device device = spec.model().device();
        Tensor images = Placement.onDevice(spec.images().of(data, items, rng), device);  // [B, 3, S, S]
        List<String> captions = new ArrayList<>(items.length);
        for (int item : items) captions.add(spec.captions().caption(data, item, rng));
        return new Batch(items, labels, images, captions, spec.text().ids(captions, device), replayed);
    }
}

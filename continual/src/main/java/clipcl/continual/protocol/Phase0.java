package clipcl.continual.protocol;

import clipcl.autograd.checkpoint.Checkpoint;
import clipcl.autograd.checkpoint.TrainState;
import clipcl.autograd.optim.Optimizer;
import clipcl.autograd.optim.Schedule;
import clipcl.clip.demo.DemoConfig;
import clipcl.clip.demo.WordTokenizer;
import clipcl.clip.model.Clip;
import clipcl.continual.data.CaptionTemplates;
import clipcl.continual.data.EpochSampler;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.LabeledImages;
import clipcl.continual.data.Session;
import clipcl.continual.train.ContrastiveLoss;
import clipcl.continual.train.Optimizers;
import clipcl.continual.train.SessionListener;
import clipcl.continual.train.TeacherContext;
import clipcl.continual.train.TextEncoder;
import clipcl.continual.train.TrainConfig;
import clipcl.continual.train.Trainer;
import clipcl.tensor.Rng;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Phase 0 of the benchmark, which is also the demo: the small CLIP trained from scratch on
 * Fashion-MNIST captions, as one contrastive session of the engine's {@link Trainer} with the demo's
 * recipe (AdamW with betas 0.9/0.98, cosine schedule with warm-up, gradient clipping at 1,
 * {@code trainItems / batch} steps an epoch, shift-and-flip augmentation). Checkpoints every 100
 * steps and at the end; a stopped run resumes to the same weights. The same session, with a study's
 * settings, trains paper B's from-scratch CLIP_0 on user data ({@link ScratchClip0}).
 */
public final class Phase0 {
    static final int CHECKPOINT_EVERY = 100;

    /** What training left: the last step's loss and the number of steps. */
    public record Outcome(double finalLoss, long steps, boolean finished) { }

    private Phase0() { }

    public static TrainConfig trainConfig(DemoConfig d) {
        return new TrainConfig(d.batch(), d.epochs(), d.lr(), d.weightDecay(), "adamw", "cosine", d.warmupFraction(), 1.0,
                "contrastive", false, false, true, 0, CHECKPOINT_EVERY, 0);
    }

    /** Steps of the run: trainItems / batch an epoch (at most the data's count / batch). */
    public static long steps(DemoConfig d, int items) { return (long) Math.min(d.stepsPerEpoch(), items / d.batch()) * d.epochs(); }

    /**
     * Trains model in place (resuming from checkpointDir when it holds a checkpoint and resume is
     * set); stops after stopAt steps when that comes first (tests).
     */
    public static Outcome train(Clip model, DemoConfig d, LabeledImages fashionTrain, CaptionTemplates captions, WordTokenizer tok,
                                int side, Path checkpointDir, boolean resume, SessionListener listener, long stopAt) throws IOException {
        TrainConfig tc = trainConfig(d);
        return train(model, tc, d.seed(), steps(d, fashionTrain.count()), d.stepsPerEpoch(), fashionTrain, "Fashion-MNIST (phase 0)", captions,
                new TextEncoder(tok), new ImageTensors(side, true), checkpointDir, resume, listener, stopAt);
    }

    /**
     * One contrastive session of tc's settings over every item of data, steps long, at most
     * maxStepsPerEpoch batches an epoch (each epoch a fresh seeded permutation): the
     * from-scratch training of a CLIP_0 (the demo's on Fashion-MNIST, or paper B's on the old data's
     * image-caption pairs). Trains model in place, checkpointing every tc.checkpointEvery() steps and
     * at the end; resumes from checkpointDir when it holds a checkpoint and resume is set (to the
     * weights an uninterrupted run reaches: the batches are a function of the step); stops after
     * stopAt steps when that comes first.
     */
    public static Outcome train(Clip model, TrainConfig tc, long seed, long steps, int maxStepsPerEpoch, LabeledImages data, String name,
                                CaptionTemplates captions, TextEncoder text, ImageTensors images, Path checkpointDir, boolean resume,
                                SessionListener listener, long stopAt) throws IOException {
        Optimizer opt = Optimizers.build(tc, model);
        Schedule schedule = Optimizers.schedule(tc, steps);
        long from = 0;
        double[] last = {Double.NaN};
        if (resume && Checkpoint.exists(checkpointDir)) {
            TrainState st = Checkpoint.load(checkpointDir, model, opt);
            from = st.step();
            if (st.extra().get("last_loss") instanceof Number n) last[0] = n.doubleValue();
            listener.info("resuming from step " + from + " of " + steps + " (" + checkpointDir + ")");
        }
        int[] all = data.allItems();
        EpochSampler sampler = new EpochSampler(all, tc.batch(), seed, maxStepsPerEpoch);
        Session s = new Session(0, name, range(data.numClasses()), all);
        Trainer.Spec spec = new Trainer.Spec(model, opt, schedule, tc, seed, -1, data, sampler, images, captions, text,
                List.of(new ContrastiveLoss(false)), List.of(), null, new TeacherContext(null, s, s.classes(), text), steps, stopAt);
        listener.sessionStarted(-1, 1, s.name(), from, steps);
        long[] done = {from};
        Trainer.run(spec, from, new Trainer.Callbacks() {
            @Override
            public void logged(long step, Map<String, Double> log) {
                last[0] = log.get("contrastive");
                done[0] = step;
            }

            @Override
            public void checkpoint(long step) throws IOException { save(checkpointDir, model, opt, step, seed, schedule, last[0]); }
        }, listener);
        if (done[0] == steps) save(checkpointDir, model, opt, steps, seed, schedule, last[0]);
        return new Outcome(last[0], steps, done[0] == steps);
    }

    private static void save(Path dir, Clip model, Optimizer opt, long step, long seed, Schedule schedule, double lastLoss) throws IOException {
        Checkpoint.save(dir, model, opt, new TrainState(step, Map.of("main", new Rng(seed)), schedule, Map.of("last_loss", lastLoss)));
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }
}

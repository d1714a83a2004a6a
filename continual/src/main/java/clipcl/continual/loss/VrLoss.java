package clipcl.continual.loss;

import clipcl.autograd.Var;
import clipcl.continual.train.Batch;
import clipcl.continual.train.LossTerm;
import clipcl.continual.train.StudentOutputs;
import clipcl.continual.train.TeacherContext;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * VR-LwF's replayed-vocabulary distillation L_VR (paper A, Sec. IV-C, Algorithm 1): the batch's images
 * against Ks pseudo-classes, through the frozen previous model and the model being trained (each its
 * own image tower, text tower and logit scale), tied by {@link Distillation}. Where the texts come from:
 * <ul>
 * <li>{@link Source#FRESH} (the authors' code, default): Ks random-token sentences drawn anew every step;</li>
 * <li>{@link Source#FIXED} (ZSCL's re-implementation): one set drawn once and kept for the whole run;</li>
 * <li>{@link Source#CAPTIONS} (paper A's "caption corpus" ablation): Ks real captions drawn every step
 *     from a corpus of the old data's captions.</li>
 * </ul>
 * The draw of a step is keyed by (seed, the batch's items), and batches are a function of (seed,
 * session, step), so a resumed run replays the same pseudo-classes.
 */
public final class VrLoss implements LossTerm {
    public enum Source { FRESH, FIXED, CAPTIONS }

    private final double weight;
    private final Source source;
    private final int count, length;
    private final double temperature;
    private final Distillation.Form form;
    private final long seed;
    private final List<String> corpus;
    private Tensor fixed;

    /** corpus: the captions of the CAPTIONS source (ignored otherwise). */
    public VrLoss(double weight, Source source, int count, int length, double temperature, Distillation.Form form, long seed, List<String> corpus) {
        if (source == Source.CAPTIONS && (corpus == null || corpus.isEmpty())) throw new IllegalArgumentException("VR-LwF captions: an empty caption corpus");
        this.weight = weight;
        this.source = source;
        this.count = count;
        this.length = length;
        this.temperature = temperature;
        this.form = form;
        this.seed = seed;
        this.corpus = corpus;
    }

    @Override
    public String name() { return "vr"; }

    @Override
    public double weight() { return weight; }

    @Override
    public Var compute(Batch batch, StudentOutputs s, TeacherContext ctx) {
        Tensor ids = texts(batch, ctx);
        Tensor old = PairLogits.teacher(ctx.teacher(), batch, ids);              // [B, Ks]
        return Distillation.loss(PairLogits.student(s, ids), old, temperature, form);
    }

    /** The step's pseudo-class token ids I32 [Ks, context]. */
    Tensor texts(Batch batch, TeacherContext ctx) {
        Rng rng = new Rng(seed ^ 0x7652_4C77_4600L, Integer.toUnsignedLong(Arrays.hashCode(batch.items())) << 20);
        return switch (source) {
            case FRESH -> PseudoSentences.draw(ctx.text().tokenizer(), count, length, rng);
            case FIXED -> {
                if (fixed == null) fixed = clipcl.tensor.Scope.detach(PseudoSentences.draw(ctx.text().tokenizer(), count, length, new Rng(seed ^ 0x2C5CL)));
                yield fixed;
            }
            case CAPTIONS -> {
                String[] pick = new String[count];
                for (int i = 0; i < count; i++) pick[i] = corpus.get(rng.nextInt(corpus.size()));
                yield ctx.text().ids(List.of(pick));
            }
        };
    }
}

package clipcl.continual.method;

import clipcl.autograd.Var;
import clipcl.continual.data.ReplayBuffer;
import clipcl.continual.data.ReservoirBuffer;
import clipcl.continual.loss.ModXDistillation;
import clipcl.continual.train.Batch;
import clipcl.continual.train.LossTerm;
import clipcl.continual.train.StudentOutputs;
import clipcl.continual.train.TeacherContext;
import clipcl.tensor.Tensor;
import clipcl.tensor.DType;
import java.util.List;
import java.util.Set;

/**
 * Mod-X (paper B): the contrastive objective plus alpha times the off-diagonal distillation from the
 * frozen previous-phase model ({@link ModXDistillation}), optionally with a replay buffer of past
 * items mixed into every batch (the paper's Mod-X with a 3,000 / 5,000 buffer). The logit-scale clamp
 * to [0, ln 100] after each step is the trainer's, for every method.
 *
 * <p>Options ({@code mod-x:key=value,...}): alpha (default 20), rule (caption, index or class; default
 * caption, see {@link ModXDistillation}), scale (raw or logit; default raw), reduction (sum or mean;
 * default sum), buffer (items, default 0 = none).
 */
public final class ModX implements Method {
    static final Set<String> OPTIONS = Set.of("alpha", "rule", "scale", "reduction", "buffer");
    /** The reservoir's own draws; which items are offered, and in what order, is the study's (seeded). */
    private static final long BUFFER_SEED = 1009;

    private final ModXDistillation term;
    private final ReplayBuffer buffer;

    public ModX(ModXDistillation term, int bufferSize) {
        this.term = term;
        this.buffer = bufferSize > 0 ? new ReservoirBuffer(bufferSize, BUFFER_SEED) : null;
    }

    public static ModX of(MethodOptions o) {
        ModXDistillation t = new ModXDistillation(o.number("alpha", ModXDistillation.DEFAULT_ALPHA),
                ModXDistillation.parseRule(o.string("rule", "caption")),
                ModXDistillation.Scale.valueOf(o.string("scale", "raw").toUpperCase(java.util.Locale.ROOT)),
                ModXDistillation.Reduction.valueOf(o.string("reduction", "sum").toUpperCase(java.util.Locale.ROOT)));
        int buf = o.integer("buffer", 0);
        if (buf < 0) throw new IllegalArgumentException("method mod-x: buffer must be >= 0, got " + buf);
        return new ModX(t, buf);
    }

    @Override
    public String name() { return "mod-x"; }

    @Override
    public boolean needsTeacher() { return true; }

    @Override
    public List<LossTerm> lossTerms(MethodContext ctx) { return List.of(term, new KeptRows(term)); }

    @Override
    public ReplayBuffer replayBuffer() { return buffer; }

    /**
     * Logs the share of rows the old model got right (the rows that are distilled) at every step, so a
     * rule that almost never fires shows in the loss log. Weight 0: it adds nothing to the objective.
     */
    record KeptRows(ModXDistillation term) implements LossTerm {
        @Override
        public String name() { return "modx_kept_rows"; }

        @Override
        public double weight() { return 0; }

        @Override
        public Var compute(Batch batch, StudentOutputs student, TeacherContext ctx) {
            return Var.constant(Tensor.scalar(term.lastKeptFraction(), DType.F32, student.model().device()));
        }
    }
}

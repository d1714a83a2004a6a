package clipcl.continual.method;

import clipcl.clip.model.Clip;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.LabeledImages;
import clipcl.continual.data.ReplayBuffer;
import clipcl.continual.data.SessionPlan;
import clipcl.continual.train.LossTerm;
import clipcl.continual.train.Regularizer;
import clipcl.continual.train.UpdateOption;
import clipcl.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A continual-learning method as a plug-in of the one training loop (Mammoth's ContinualModel,
 * Avalanche's strategy plugins): it may reshape the session plan, ask for a frozen teacher, add
 * loss terms and parameter regularizers, keep a replay buffer, and act at session boundaries
 * (weight merging, Fisher estimation). It never runs its own loop. The order in which the study
 * calls these is fixed and documented in {@code clipcl.continual.protocol.Study}.
 */
public interface Method {
    /** The command-line name ("ft", "joint", ...). */
    String name();

    /**
     * The training set the plan's items index, asked once before {@link #plan}: the digits' training
     * split; a method may append data to it (CLIP_jt with D0 appends CLIP_0's Fashion-MNIST training
     * data) as long as the digits keep their item indices and labels.
     */
    default LabeledImages trainingData(Benchmark bench) { return bench.digitsTrain(); }

    /** The plan this method trains on (Joint merges every session into one). */
    default SessionPlan plan(SessionPlan plan) { return plan; }

    /** Whether a frozen copy of the model is taken before every session (distillation methods). */
    default boolean needsTeacher() { return false; }

    /** Before the session's optimizer is built: install parametrizations, compute anchors. */
    default void beginSession(MethodContext ctx) { }

    /** Terms added to the base objective for this session. */
    default List<LossTerm> lossTerms(MethodContext ctx) { return List.of(); }

    default List<Regularizer> regularizers(MethodContext ctx) { return List.of(); }

    /** After training a session, before the buffer update and the evaluation: merge weights, estimate Fisher. */
    default void endSession(MethodContext ctx) { }

    /**
     * After the session's evaluation, before its checkpoint: undo what {@link #endSession} changed only
     * to be measured (IMM's merge for evaluation, after which training goes on from the unmerged weights).
     */
    default void afterEvaluate(MethodContext ctx) { }

    /**
     * Whether replayed items stay in the base objective with their own captions (true: ER, DER++,
     * Mod-X's buffer) or the base objective sees the batch's new items only (plain DER).
     */
    default boolean replayInBaseObjective() { return true; }

    /** The method's replay memory, or null. The study offers it each session's items after {@link #endSession}. */
    default ReplayBuffer replayBuffer() { return null; }

    /** State to checkpoint beside the model (JSON-compatible). */
    default Map<String, Object> state() { return Map.of(); }

    default void loadState(Map<String, Object> state) { }

    /**
     * Tensors to checkpoint beside the model, in the same atomic save (a part of the checkpoint):
     * weights a session started from, a Fisher. Empty when there are none at this point.
     */
    default Map<String, Tensor> stateTensors() { return Map.of(); }

    /** Restores what {@link #stateTensors} returned (host tensors, owned by the method); called on resume only when the checkpoint holds them. */
    default void loadStateTensors(Map<String, Tensor> tensors) { }

    /**
     * On resume, before the checkpoint's weights are loaded into a fresh copy of CLIP_0: rebuild what the
     * method added to the model (RKR's rectifiers), so the saved weights find their places. Every
     * checkpoint is taken after the first session began, so what the first {@link #beginSession} adds
     * is always in it.
     */
    default void restoreModel(Clip model, UpdateOption update, long seed) { }
}

package clipcl.continual.method;

import clipcl.continual.data.ReplayBuffer;
import clipcl.continual.data.SessionPlan;
import clipcl.continual.train.LossTerm;
import clipcl.continual.train.Regularizer;
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

    /** The method's replay memory, or null. The study offers it each session's items after {@link #endSession}. */
    default ReplayBuffer replayBuffer() { return null; }

    /** State to checkpoint beside the model (JSON-compatible). */
    default Map<String, Object> state() { return Map.of(); }

    default void loadState(Map<String, Object> state) { }
}

package clipcl.continual.method;

import clipcl.autograd.Var;
import clipcl.continual.train.ParamMaps;
import clipcl.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * IMM-mean / WiSE-FT (paper A, Sec. IV-B): after a session, theta = (1 - alpha) theta_old + alpha
 * theta_new over the parameters the session trained (the updated encoders; frozen ones are left
 * bit for bit), old = the weights at the session's start (OST: the original CLIP; MST: the previous
 * session's model). Options: alpha (default 0.5), mode eval|continue:
 * <ul>
 * <li>eval (default, the authors' code): the merge is evaluated, then the unmerged weights come back
 *     and the next session trains on from them; old for session s is then the unmerged weights of
 *     session s - 1;</li>
 * <li>continue: the merged weights replace the model and the next session starts from them.</li>
 * </ul>
 * The session's start weights are checkpointed with the model while the session runs, so a resumed
 * session merges with the same weights as an uninterrupted one.
 */
public final class Imm implements Method {
    private final double alpha;
    private final boolean evalOnly;
    private Map<String, Tensor> old, unmerged;

    public Imm(MethodOptions o) {
        o.allow("alpha", "mode");
        alpha = o.number("alpha", 0.5);
        if (alpha < 0 || alpha > 1) throw new IllegalArgumentException("method imm: alpha must be in [0, 1], got " + alpha);
        evalOnly = o.choice("mode", "eval", "continue").equals("eval");
    }

    @Override
    public String name() { return "imm"; }

    /** old is kept when it was restored from a checkpoint taken inside the session. */
    @Override
    public void beginSession(MethodContext ctx) {
        if (old == null) old = ParamMaps.snapshot(ctx.model().trainableParameters());
        else old = ParamMaps.onDevice(old, ctx.model().device());
    }

    @Override
    public void endSession(MethodContext ctx) {
        if (old == null) throw new IllegalStateException("imm: no weights of the session's start to merge with");
        Map<String, Var> params = new LinkedHashMap<>();
        ctx.model().namedParameters().forEach((n, v) -> { if (old.containsKey(n)) params.put(n, v); });
        Map<String, Tensor> now = ParamMaps.snapshot(params);
        Map<String, Tensor> merged = ParamMaps.lerp(old, now, alpha);
        params.forEach((n, v) -> v.data().copyFrom(merged.get(n)));
        if (evalOnly) unmerged = now;
        else now.values().forEach(Tensor::close);
        old.values().forEach(Tensor::close);
        merged.values().forEach(Tensor::close);
        old = null;
    }

    /** The weights the running session started from; none between sessions (the next session takes its own). */
    @Override
    public Map<String, Tensor> stateTensors() { return old == null ? Map.of() : old; }

    @Override
    public void loadStateTensors(Map<String, Tensor> tensors) { old = new LinkedHashMap<>(tensors); }

    @Override
    public void afterEvaluate(MethodContext ctx) {
        if (unmerged == null) return;
        Map<String, Var> p = ctx.model().namedParameters();
        unmerged.forEach((n, t) -> p.get(n).data().copyFrom(t));
        unmerged.values().forEach(Tensor::close);
        unmerged = null;
    }

    public double alpha() { return alpha; }

    public boolean evalOnly() { return evalOnly; }
}

package clipcl.continual.method;

import clipcl.continual.data.SessionPlan;

/**
 * CLIP_jt (paper B's upper bound): every phase's data trained together in one session. The paper
 * trains on D0 and D together; here D0 (CLIP_0's Fashion-MNIST data) is not part of the training
 * set the engine hands a method, so this is joint training on all of D from CLIP_0.
 */
public final class ClipJt implements Method {
    @Override
    public String name() { return "clip-jt"; }

    @Override
    public SessionPlan plan(SessionPlan plan) { return plan.joint(); }
}

package clipcl.continual.method;

import clipcl.continual.data.SessionPlan;

/**
 * Joint training: every session's data together in one session (the upper bound of the new task's
 * accuracy); evaluated on the same tasks as the plan it merges, so its single row of the accuracy
 * matrix lines up with the other methods' last rows.
 */
public final class Joint implements Method {
    @Override
    public String name() { return "joint"; }

    @Override
    public SessionPlan plan(SessionPlan plan) { return plan.joint(); }
}

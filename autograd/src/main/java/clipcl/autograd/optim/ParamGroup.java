package clipcl.autograd.optim;

import clipcl.autograd.Var;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parameters that share hyper-parameters: a weight decay and a factor on the optimizer's learning
 * rate (1 for the usual case; layer-wise decay schedules use smaller factors). Parameters are keyed
 * by their state-dict names, which also key the optimizer's saved state.
 */
public final class ParamGroup {
    private final String name;
    private final Map<String, Var> params;
    private final double weightDecay;
    private final double lrScale;

    public ParamGroup(String name, Map<String, Var> params, double weightDecay, double lrScale) {
        if (weightDecay < 0) throw new IllegalArgumentException("parameter group '" + name + "': negative weight decay " + weightDecay);
        if (!(lrScale >= 0)) throw new IllegalArgumentException("parameter group '" + name + "': learning-rate scale must be >= 0, got " + lrScale);
        this.name = name;
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.weightDecay = weightDecay;
        this.lrScale = lrScale;
    }

    public ParamGroup(String name, Map<String, Var> params, double weightDecay) { this(name, params, weightDecay, 1.0); }

    public String name() { return name; }

    /** Name -> parameter, in registration order. */
    public Map<String, Var> params() { return params; }

    public double weightDecay() { return weightDecay; }

    public double lrScale() { return lrScale; }
}

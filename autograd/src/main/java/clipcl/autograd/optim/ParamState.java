package clipcl.autograd.optim;

import clipcl.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Per-parameter optimizer state: how many updates it received and its slot tensors (exp_avg, ...). */
public final class ParamState {
    long step;
    final Map<String, Tensor> slots = new LinkedHashMap<>();

    /** Updates applied to this parameter so far (PyTorch's state['step']). */
    public long step() { return step; }

    public Map<String, Tensor> slots() { return Collections.unmodifiableMap(slots); }
}

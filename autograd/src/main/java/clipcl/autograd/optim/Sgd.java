package clipcl.autograd.optim;

import clipcl.tensor.SgdStep;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay, as torch.optim.SGD. */
public final class Sgd extends Optimizer {
    private static final List<String> SLOTS = List.of("momentum_buffer");
    private final double momentum, dampening;
    private final boolean nesterov;

    public Sgd(List<ParamGroup> groups, double lr, double momentum, double dampening, boolean nesterov) {
        super(groups, lr);
        if (!(momentum >= 0)) throw new IllegalArgumentException("sgd: momentum must be >= 0, got " + momentum);
        if (nesterov && (momentum <= 0 || dampening != 0)) throw new IllegalArgumentException("sgd: Nesterov momentum needs momentum > 0 and dampening 0");
        this.momentum = momentum;
        this.dampening = dampening;
        this.nesterov = nesterov;
    }

    public Sgd(List<ParamGroup> groups, double lr, double momentum) { this(groups, lr, momentum, 0, false); }

    @Override
    public String type() { return "sgd"; }

    @Override
    protected List<String> slotNames(ParamGroup g) { return momentum == 0 ? List.of() : SLOTS; }

    @Override
    public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("momentum", momentum);
        m.put("dampening", dampening);
        m.put("nesterov", nesterov);
        return m;
    }

    @Override
    protected void update(ParamGroup g, double lr, String name, Tensor p, Tensor grad, ParamState s) {
        Tensor buf = momentum == 0 ? null : s.slots.get("momentum_buffer");
        Training.sgdStep(p, grad, buf, new SgdStep(lr, momentum, dampening, nesterov, g.weightDecay(), s.step == 1));
    }
}

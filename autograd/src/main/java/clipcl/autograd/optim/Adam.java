package clipcl.autograd.optim;

import clipcl.tensor.AdamStep;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba) with PyTorch's bias correction and epsilon placement; a group's weight
 * decay is added to the gradient (L2). {@link AdamW} decouples it instead.
 */
public class Adam extends Optimizer {
    private static final List<String> SLOTS = List.of("exp_avg", "exp_avg_sq");
    private final double beta1, beta2, eps;
    private final boolean decoupled;

    public Adam(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps) {
        this(groups, lr, beta1, beta2, eps, false);
    }

    /** torch.optim.Adam's defaults: betas (0.9, 0.999), eps 1e-8. */
    public Adam(List<ParamGroup> groups, double lr) { this(groups, lr, 0.9, 0.999, 1e-8, false); }

    Adam(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps, boolean decoupled) {
        super(groups, lr);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException(type() + ": betas must lie in [0, 1), got " + beta1 + ", " + beta2);
        if (!(eps >= 0)) throw new IllegalArgumentException(type() + ": eps must be >= 0, got " + eps);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.decoupled = decoupled;
    }

    @Override
    public String type() { return "adam"; }

    @Override
    protected List<String> slotNames(ParamGroup g) { return SLOTS; }

    @Override
    public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        m.put("eps", eps);
        m.put("decoupled_weight_decay", decoupled);
        return m;
    }

    @Override
    protected void update(ParamGroup g, double lr, String name, Tensor p, Tensor grad, ParamState s) {
        Tensor m = s.slots.get("exp_avg"), v = s.slots.get("exp_avg_sq");
        Training.adamStep(p, grad, m, v, new AdamStep(lr, beta1, beta2, eps, g.weightDecay(), decoupled, s.step));
    }
}

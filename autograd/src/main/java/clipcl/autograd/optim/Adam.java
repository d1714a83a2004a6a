package clipcl.autograd.optim;

import clipcl.tensor.DType;
import clipcl.tensor.Tensor;
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
    protected void update(ParamGroup g, double lr, String name, Tensor p, Tensor grad, ParamState s, int from, int to) {
        double wd = g.weightDecay();
        double decayMul = decoupled ? 1 - lr * wd : 1;
        double l2 = decoupled ? 0 : wd;
        double bc1 = 1 - Math.pow(beta1, s.step), bc2 = 1 - Math.pow(beta2, s.step);
        double negStep = -lr / bc1;
        Tensor m = s.slots.get("exp_avg"), v = s.slots.get("exp_avg_sq");
        if (p.dtype() == DType.F32) {
            var c = new UpdateKernels.AdamF((float) decayMul, (float) l2, (float) beta1, (float) (1 - beta1), (float) beta2,
                    (float) (1 - beta2), (float) Math.sqrt(bc2), (float) eps, (float) negStep);
            UpdateKernels.adamF32(Flat.f32(p), p.offset(), Flat.f32(grad), grad.offset(), Flat.f32(m), Flat.f32(v), from, to, c);
        } else {
            var c = new UpdateKernels.AdamD(decayMul, l2, beta1, 1 - beta1, beta2, 1 - beta2, Math.sqrt(bc2), eps, negStep);
            UpdateKernels.adamF64(Flat.f64(p), p.offset(), Flat.f64(grad), grad.offset(), Flat.f64(m), Flat.f64(v), from, to, c);
        }
    }
}

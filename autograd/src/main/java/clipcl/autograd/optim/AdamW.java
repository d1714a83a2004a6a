package clipcl.autograd.optim;

import java.util.List;

/**
 * AdamW (Loshchilov and Hutter): weight decay shrinks the parameter by lr * wd before the Adam
 * step instead of entering the gradient, as torch.optim.AdamW.
 */
public final class AdamW extends Adam {
    public AdamW(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps) {
        super(groups, lr, beta1, beta2, eps, true);
    }

    /** torch.optim.AdamW's defaults: betas (0.9, 0.999), eps 1e-8 (weight decay lives in the groups). */
    public AdamW(List<ParamGroup> groups, double lr) { this(groups, lr, 0.9, 0.999, 1e-8); }

    @Override
    public String type() { return "adamw"; }
}

package clipcl.continual.method;

import clipcl.continual.data.CaptionTemplates;
import clipcl.continual.loss.Distillation;
import clipcl.continual.loss.LwfLoss;
import clipcl.continual.train.LossTerm;
import java.util.List;

/**
 * LwF (paper A, Sec. IV-B): L = L_CE + beta * L_LwF over the class prompts of every class seen so far
 * (OST: the updated classes), with the frozen previous model as teacher (OST: the original CLIP; MST:
 * the previous session's model). Options: beta (default 1), form kl|printed (default kl, the authors'
 * code; printed = the paper's Eq. 5), t (temperature, default 1). The prompts are the benchmark's class
 * prompts ({@link CaptionTemplates#digits()}, the template the base objective trains with).
 */
public final class Lwf implements Method {
    private final double beta, temperature;
    private final Distillation.Form form;

    public Lwf(MethodOptions o) {
        o.allow("beta", "form", "t");
        beta = o.number("beta", 1);
        form = Distillation.form(o.choice("form", "kl", "printed"));
        temperature = o.number("t", 1);
    }

    @Override
    public String name() { return "lwf"; }

    @Override
    public boolean needsTeacher() { return true; }

    @Override
    public List<LossTerm> lossTerms(MethodContext ctx) {
        return List.of(new LwfLoss("lwf", beta, ctx.data().classNames(), CaptionTemplates.digits(), LwfLoss.Classes.SEEN, temperature, form));
    }
}

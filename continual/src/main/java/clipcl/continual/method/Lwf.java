package clipcl.continual.method;

import clipcl.continual.data.CaptionTemplates;
import clipcl.continual.loss.ContrastiveLwfLoss;
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
 *
 * <p>{@code over=batch} is paper B's LwF, re-done with the contrastive loss: the distillation targets
 * are the old model's in-batch image-to-text and text-to-image distributions over the batch's own
 * captions ({@link ContrastiveLwfLoss}), which needs no class names and so also runs on image-caption
 * streams where every image is its own class. The default stays paper A's ({@code over=classes}).
 */
public final class Lwf implements Method {
    private final double beta, temperature;
    private final Distillation.Form form;
    private final boolean overBatch;

    public Lwf(MethodOptions o) {
        o.allow("beta", "form", "t", "over");
        beta = o.number("beta", 1);
        form = Distillation.form(o.choice("form", "kl", "printed"));
        temperature = o.number("t", 1);
        overBatch = o.choice("over", "classes", "batch").equals("batch");
        if (overBatch && form != Distillation.Form.KL) throw new IllegalArgumentException("method lwf: form=printed is paper A's Eq. 5 over class prompts, not an option of over=batch");
    }

    @Override
    public String name() { return "lwf"; }

    @Override
    public boolean needsTeacher() { return true; }

    @Override
    public List<LossTerm> lossTerms(MethodContext ctx) {
        if (overBatch) return List.of(new ContrastiveLwfLoss(beta, temperature));
        return List.of(new LwfLoss("lwf", beta, ctx.data().classNames(), CaptionTemplates.digits(), LwfLoss.Classes.SEEN, temperature, form));
    }
}

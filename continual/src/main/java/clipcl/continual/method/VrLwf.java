package clipcl.continual.method;

import clipcl.clip.data.FashionMnist;
import clipcl.continual.data.CaptionTemplates;
import clipcl.continual.loss.Distillation;
import clipcl.continual.loss.LwfLoss;
import clipcl.continual.loss.VrLoss;
import clipcl.continual.train.LossTerm;
import java.util.ArrayList;
import java.util.List;

/**
 * VR-LwF, paper A's method: L = L_CE + beta * L_VR, the distillation over Ks pseudo-classes of M random
 * vocabulary tokens ({@link VrLoss}); in MST it adds the LwF term on the previous sessions' classes
 * only, L = L_CE + beta * (L_VR + L_Pre) (paper A, Eq. 11; on session 1 L_Pre is 0). Teacher: the
 * frozen previous model.
 *
 * <p>Options: beta (default 1), variant authors|zscl|captions (default authors: fresh sentences every
 * step, T = 1; zscl: 1,000 sentences drawn once and kept, T = 2; captions: Ks real captions of the old
 * data (the Fashion-MNIST caption corpus CLIP_0 was trained on) every step), ks, m, t (override the
 * variant's), form kl|printed (default kl, the authors' code; printed = the paper's Eq. 10 as written,
 * -sum p_new log p_old).
 */
public final class VrLwf implements Method {
    private final double beta, temperature;
    private final VrLoss.Source source;
    private final int ks, m;
    private final Distillation.Form form;

    public VrLwf(MethodOptions o) {
        o.allow("beta", "variant", "ks", "m", "t", "form");
        beta = o.number("beta", 1);
        String v = o.choice("variant", "authors", "zscl", "captions");
        source = switch (v) {
            case "zscl" -> VrLoss.Source.FIXED;
            case "captions" -> VrLoss.Source.CAPTIONS;
            default -> VrLoss.Source.FRESH;
        };
        ks = o.integer("ks", v.equals("zscl") ? 1000 : 100);
        m = o.integer("m", 10);
        temperature = o.number("t", v.equals("zscl") ? 2 : 1);
        form = Distillation.form(o.choice("form", "kl", "printed"));
    }

    @Override
    public String name() { return "vr-lwf"; }

    @Override
    public boolean needsTeacher() { return true; }

    @Override
    public List<LossTerm> lossTerms(MethodContext ctx) {
        List<String> corpus = source == VrLoss.Source.CAPTIONS ? CaptionTemplates.fashion().corpus(FashionMnist.CLASSES) : null;
        List<LossTerm> t = new ArrayList<>();
        t.add(new VrLoss(beta, source, ks, m, temperature, form, source == VrLoss.Source.FIXED ? ctx.seed() : ctx.seed() * 1_000_003L + ctx.session().index(), corpus));
        if (ctx.plan().sessions().size() > 1) {
            t.add(new LwfLoss("lwf_pre", beta, ctx.data().classNames(), CaptionTemplates.digits(), LwfLoss.Classes.PREVIOUS, temperature, form));
        }
        return t;
    }
}

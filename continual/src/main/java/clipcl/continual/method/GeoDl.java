package clipcl.continual.method;

import clipcl.continual.data.CaptionTemplates;
import clipcl.continual.loss.GeoDlLoss;
import clipcl.continual.train.LossTerm;
import java.util.List;

/**
 * GeoDL as a distillation method (paper A, Sec. IV-B): L = L_CE + beta * L_geo^img + beta * L_geo^txt,
 * the image features of the batch and the text features of the prompts of every class seen so far,
 * teacher = the frozen previous model. Options: beta (default 1), form authors|paper (see
 * {@link GeoDlLoss}), dim (subspace dimension; default min(n - 2, E / 2)).
 */
public final class GeoDl implements Method {
    private final double beta;
    private final GeoDlLoss.Form form;
    private final int dim;

    public GeoDl(MethodOptions o) {
        o.allow("beta", "form", "dim");
        beta = o.number("beta", 1);
        form = o.choice("form", "authors", "paper").equals("authors") ? GeoDlLoss.Form.AUTHORS : GeoDlLoss.Form.PAPER;
        dim = o.integer("dim", 0);
    }

    @Override
    public String name() { return "geodl"; }

    @Override
    public boolean needsTeacher() { return true; }

    @Override
    public List<LossTerm> lossTerms(MethodContext ctx) {
        List<String> names = ctx.data().classNames();
        return List.of(new GeoDlLoss("geo_img", beta, true, names, CaptionTemplates.digits(), form, dim),
                new GeoDlLoss("geo_txt", beta, false, names, CaptionTemplates.digits(), form, dim));
    }
}

package clipcl.autograd.nn;

import clipcl.autograd.Var;
import java.util.List;

/** Layers applied in order, named "0", "1", ... as torch.nn.Sequential. */
public final class Sequential<M extends Module & Layer> extends ModuleList<M> implements Layer {
    public Sequential() { }

    public Sequential(List<? extends M> items) { super(items); }

    @Override
    public Var forward(Var x) {
        for (int i = 0; i < size(); i++) x = get(i).forward(x);
        return x;
    }
}

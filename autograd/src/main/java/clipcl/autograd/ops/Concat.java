package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Concatenation along dim (and stack, through unsqueeze); backward hands each input its slice of g (views). */
public final class Concat extends Function {
    private int dim;
    private int[] sizes;

    public static Var apply(List<Var> parts, int dim) {
        if (parts.isEmpty()) throw new IllegalArgumentException("concat: no variables given");
        Concat f = new Concat();
        f.connect(parts.toArray(new Var[0]));
        f.dim = parts.get(0).shape().normDim(dim);
        f.sizes = new int[parts.size()];
        List<Tensor> ts = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            ts.add(parts.get(i).data());
            f.sizes[i] = parts.get(i).rank() > f.dim ? parts.get(i).dim(f.dim) : 0;
        }
        return f.output(Tensor.concat(ts, dim));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor[] out = new Tensor[sizes.length];
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (needsGrad(i)) out[i] = g.narrow(dim, at, sizes[i]);
            at += sizes[i];
        }
        return out;
    }
}

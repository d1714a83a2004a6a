package clipcl.autograd.nn;

import clipcl.autograd.F;
import clipcl.autograd.Var;
import clipcl.tensor.Tensor;

/** torch.nn.Embedding: weight [num, dim] initialised N(0, 1); forward picks rows by I32 ids. */
public final class Embedding extends Module {
    private final int num, dim;

    public Embedding(int num, int dim, Init init) {
        this.num = num;
        this.dim = dim;
        registerParameter("weight", init.normal(1.0, num, dim));
    }

    public int numEmbeddings() { return num; }

    public int embeddingDim() { return dim; }

    public Var weight() { return param("weight"); }

    /** ids (I32, any shape) -> [..., dim]. */
    public Var forward(Tensor ids) { return F.embedding(weight(), ids); }
}

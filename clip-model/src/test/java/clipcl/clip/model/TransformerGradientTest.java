package clipcl.clip.model;

import clipcl.autograd.GradCheck;
import clipcl.autograd.Var;
import clipcl.autograd.nn.Activation;
import clipcl.autograd.nn.Init;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CLIP's blocks in float64 against central finite differences: input and every parameter at once. */
class TransformerGradientTest {
    @Test
    void residualBlockWithCausalMaskAndExactGelu() {
        ResidualAttentionBlock b = new ResidualAttentionBlock(8, 2, 16, Activation.GELU, Init.f64(3));
        // non-trivial gains and biases, so their gradients are not special cases
        Rng r = new Rng(4);
        b.namedParameters().forEach((n, v) -> { if (n.endsWith("bias") || n.contains("ln_")) v.data().copyFrom(r.uniform(DType.F64, 0.5, 1.5, v.data().dims()).sub(n.endsWith("bias") ? 1 : 0)); });
        Tensor mask = MultiheadAttention.causalMask(3, DType.F64);
        List<Var> inputs = new ArrayList<>();
        inputs.add(new Var(r.uniform(DType.F64, -1, 1, 2, 3, 8), true));
        inputs.addAll(b.namedParameters().values());
        GradCheck.check("ResidualAttentionBlock", in -> b.forward(in.get(0), mask), inputs);
    }

    @Test
    void transformerWithQuickGeluNoMask() {
        Transformer t = new Transformer(4, 2, 2, Init.f64(5));
        List<Var> inputs = new ArrayList<>();
        inputs.add(new Var(new Rng(6).uniform(DType.F64, -1, 1, 1, 3, 4), true));
        inputs.addAll(t.namedParameters().values());
        GradCheck.check("Transformer", in -> t.forward(in.get(0), null), inputs);
    }
}

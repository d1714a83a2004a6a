package clipcl.clip.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.GradCheck;
import clipcl.autograd.Var;
import clipcl.autograd.nn.Init;
import clipcl.autograd.nn.Module;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finite-difference checks (float64) of the attention pool and of Bottleneck blocks, inputs and every parameter. */
class ResNetGradientTest {
    static List<Var> inputsAndParameters(Var x, Module m) {
        List<Var> in = new ArrayList<>();
        in.add(x);
        in.addAll(m.namedParameters().values());
        return in;
    }

    static Var input(long seed, int... dims) { return Var.param(Scope.detach(new Rng(seed).normal(DType.F64, 0, 1, dims))); }

    @Test
    void attentionPool() {
        AttentionPool2d pool = new AttentionPool2d(2, 8, 2, 3, Init.f64(1));
        try (Scope s = Scope.open()) {
            GradCheck.Result r = GradCheck.check("attention pool", v -> pool.forward(v.get(0)), inputsAndParameters(input(2, 2, 8, 2, 2), pool));
            assertTrue(r.primitives().size() > 5, "the pool is made of primitives: " + r.primitives());
        }
    }

    @Test
    void downsamplingBottleneckInTrainingMode() {
        Bottleneck b = new Bottleneck(4, 2, 2, Init.f64(3));
        perturbBatchNormGains(b);
        try (Scope s = Scope.open()) {
            GradCheck.check("bottleneck stride 2", v -> b.forward(v.get(0)), inputsAndParameters(input(4, 2, 4, 4, 4), b));
        }
    }

    @Test
    void identityBottleneckInEvalMode() {
        Bottleneck b = new Bottleneck(8, 2, 1, Init.f64(5));
        perturbBatchNormGains(b);
        b.eval();
        try (Scope s = Scope.open()) {
            GradCheck.check("bottleneck identity, eval", v -> b.forward(v.get(0)), inputsAndParameters(input(6, 2, 8, 3, 3), b));
        }
    }

    /** Gains away from 1 and biases away from 0 so every term of the batch-norm gradient shows. */
    static void perturbBatchNormGains(Module m) {
        Rng r = new Rng(9);
        m.namedParameters().forEach((n, p) -> {
            if (n.contains("bn") || n.startsWith("downsample.1")) p.data().copyFrom(r.uniform(DType.F64, 0.5, 1.5, p.dims()));
        });
    }
}

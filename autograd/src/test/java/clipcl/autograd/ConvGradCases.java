package clipcl.autograd;

import static clipcl.autograd.Inputs.*;

import clipcl.tensor.DType;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.List;

/** Gradient checks of the convolutional primitives (conv2d, batch norm, average pooling). */
final class ConvGradCases {
    private ConvGradCases() { }

    private static GradCases.Case c(String name, java.util.function.Supplier<List<Var>> in, GradCheck.Fn fn) { return new GradCases.Case(name, in, fn); }

    /** Running statistics for eval-mode checks: fresh each call (training mode would change them). */
    /** Running statistics, placed on the cases' device as their inputs are (the cases also run on the strict test device). */
    private static Tensor stat(long seed, double lo, int n) { return Scope.detach(Inputs.place(new clipcl.tensor.Rng(seed).uniform(DType.F64, lo, lo + 1, n))); }

    static List<GradCases.Case> all() {
        return List.of(
            c("conv2d 3x3 stride 1 pad 1 bias", () -> List.of(p(120, 2, 3, 5, 4), p(121, 4, 3, 3, 3), p(122, 4)),
                v -> F.conv2d(v.get(0), v.get(1), v.get(2), 1, 1)),
            c("conv2d 3x3 stride 2 pad 1 no bias, transposed input", () -> List.of(pT(123, 2, 2, 5, 7), p(124, 3, 2, 3, 3)),
                v -> F.conv2d(v.get(0), v.get(1), null, 2, 1)),
            c("conv2d 1x1 pointwise", () -> List.of(pN(125, 2, 3, 4, 3), p(126, 5, 3, 1, 1)),
                v -> F.conv2d(v.get(0), v.get(1), null, 1, 0)),
            c("conv2d 2x3 kernel stride 2 no pad, weight constant", () -> List.of(p(127, 1, 2, 6, 7), cst(128, 3, 2, 2, 3)),
                v -> F.conv2d(v.get(0), v.get(1), null, 2, 0)),
            c("avgPool2d 2 stride 2, odd size", () -> List.of(p(130, 2, 3, 5, 4)), v -> F.avgPool2d(v.get(0), 2, 2)),
            c("avgPool2d 3 stride 1 (overlapping)", () -> List.of(pT(131, 1, 2, 5, 4)), v -> F.avgPool2d(v.get(0), 3, 1)),
            c("batchNorm training", () -> List.of(p(132, 3, 4, 2, 3), p(133, 4), p(134, 4)),
                v -> F.batchNorm(v.get(0), null, null, v.get(1), v.get(2), true, 0.1, 1e-5)),
            c("batchNorm training, no affine, running stats", () -> List.of(pN(135, 2, 3, 3, 2)),
                v -> F.batchNorm(v.get(0), stat(136, -0.5, 3), stat(137, 0.5, 3), null, null, true, 0.1, 1e-5)),
            c("batchNorm eval", () -> List.of(p(138, 2, 3, 2, 2), p(139, 3), p(140, 3)),
                v -> F.batchNorm(v.get(0), stat(141, -0.5, 3), stat(142, 0.5, 3), v.get(1), v.get(2), false, 0.1, 1e-5))
        );
    }
}

package clipcl.autograd;

import static clipcl.autograd.Inputs.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every gradient check, as data: fresh seeded inputs and the function of them. OpGradientTest runs
 * them all; its coverage test fails when some primitive class appears in none of these graphs.
 */
final class GradCases {
    record Case(String name, Supplier<List<Var>> inputs, GradCheck.Fn fn) {
        @Override
        public String toString() { return name; }
    }

    private GradCases() { }

    private static Case c(String name, Supplier<List<Var>> in, GradCheck.Fn fn) { return new Case(name, in, fn); }

    static List<Case> all() {
        List<Case> l = new ArrayList<>();
        l.addAll(elementwise());
        l.addAll(reductionsAndNorms());
        l.addAll(shapes());
        l.addAll(fused());
        l.addAll(ConvGradCases.all());
        return l;
    }

    static List<Case> elementwise() {
        return List.of(
            c("add broadcast [3,4]+[4]", () -> List.of(p(1, 3, 4), p(2, 4)), v -> v.get(0).add(v.get(1))),
            c("add broadcast [2,1,4]+[3,1] transposed", () -> List.of(pT(3, 2, 1, 4), p(4, 3, 1)), v -> v.get(0).add(v.get(1))),
            c("sub broadcast [3,4]-[3,1] narrowed", () -> List.of(pN(5, 3, 4), p(6, 3, 1)), v -> v.get(0).sub(v.get(1))),
            c("mul broadcast [2,3,4]*[3,4]", () -> List.of(p(7, 2, 3, 4), pT(8, 3, 4)), v -> v.get(0).mul(v.get(1))),
            c("mul with constant", () -> List.of(p(9, 3, 4), cst(10, 3, 4)), v -> v.get(0).mul(v.get(1))),
            c("div broadcast [3,4]/[4]", () -> List.of(pN(11, 3, 4), pos(12, 4)), v -> v.get(0).div(v.get(1))),
            c("scalar add/sub/mul/div/rsub", () -> List.of(pT(13, 3, 4)), v -> v.get(0).add(1.5).mul(-2.0).sub(0.25).div(3.0).rsub(1.0)),
            c("pow 3 and 0.5", () -> List.of(pos(14, 3, 4)), v -> v.get(0).pow(3).add(v.get(0).pow(0.5))),
            c("neg exp", () -> List.of(pN(15, 3, 4)), v -> v.get(0).neg().exp()),
            c("log", () -> List.of(pos(16, 3, 4)), v -> v.get(0).log()),
            c("sqrt rsqrt reciprocal", () -> List.of(pos(17, 3, 4)), v -> v.get(0).sqrt().add(v.get(0).rsqrt()).add(v.get(0).reciprocal())),
            c("square abs", () -> List.of(pT(18, 3, 4)), v -> v.get(0).square().add(v.get(0).abs())),
            c("tanh sigmoid", () -> List.of(pN(19, 3, 4)), v -> v.get(0).tanh().mul(v.get(0).sigmoid())),
            c("relu", () -> List.of(p(20, 4, 5)), v -> v.get(0).relu()),
            c("gelu", () -> List.of(pT(21, 4, 5)), v -> v.get(0).gelu()),
            c("quickGelu", () -> List.of(pN(22, 4, 5)), v -> v.get(0).quickGelu()),
            c("clamp two-sided and one-sided", () -> List.of(pT(28, 4, 5)), v -> v.get(0).clamp(-0.5, 0.7).add(v.get(0).clamp(Double.NEGATIVE_INFINITY, 0.2))),
            c("maskedFill", () -> List.of(p(23, 3, 4)), v -> v.get(0).maskedFill(mask(24, 1, 4), -7.0)),
            c("where broadcast", () -> List.of(p(25, 3, 4), pT(26, 1, 4)), v -> Var.where(mask(27, 3, 4), v.get(0), v.get(1)))
        );
    }

    static List<Case> reductionsAndNorms() {
        return List.of(
            c("sum all", () -> List.of(pT(30, 3, 4)), v -> v.get(0).sum()),
            c("sum dims keepdim", () -> List.of(p(31, 2, 3, 4)), v -> v.get(0).sum(new int[] {0, 2}, true)),
            c("sum dim -1", () -> List.of(pN(32, 2, 3, 4)), v -> v.get(0).sum(-1, false)),
            c("mean all and dim", () -> List.of(p(33, 2, 3, 4)), v -> v.get(0).mean(1, false).add(v.get(0).mean())),
            c("max dim", () -> List.of(pT(34, 3, 5)), v -> v.get(0).max(1, false)),
            c("min dim", () -> List.of(pN(29, 3, 5)), v -> v.get(0).min(-1, true)),
            c("max dim 0 keepdim", () -> List.of(p(35, 4, 3)), v -> v.get(0).max(0, true)),
            c("var unbiased/biased", () -> List.of(pN(36, 3, 5)), v -> v.get(0).var(1, false).add(v.get(0).var(new int[] {0, 1}, false, false))),
            c("softmax last", () -> List.of(pT(37, 3, 5)), v -> v.get(0).softmax(-1)),
            c("softmax dim 0", () -> List.of(p(38, 3, 2, 4)), v -> v.get(0).softmax(0)),
            c("logSoftmax dim 1", () -> List.of(pN(39, 2, 4, 3)), v -> v.get(0).logSoftmax(1)),
            c("layerNorm weight bias", () -> List.of(pT(40, 2, 3, 6), p(41, 6), p(42, 6)), v -> v.get(0).layerNorm(v.get(1), v.get(2), 1e-5)),
            c("layerNorm no affine", () -> List.of(pN(43, 4, 5)), v -> v.get(0).layerNorm(null, null, 1e-5)),
            c("layerNorm constant x", () -> List.of(cst(44, 4, 5), p(45, 5), p(46, 5)), v -> v.get(0).layerNorm(v.get(1), v.get(2), 1e-5)),
            c("l2Normalize", () -> List.of(pT(47, 3, 4)), v -> v.get(0).l2Normalize(-1, 1e-12)),
            c("l2Normalize dim 0", () -> List.of(p(48, 3, 4)), v -> v.get(0).l2Normalize(0, 1e-12))
        );
    }

    static List<Case> fused() {
        return List.of(
            c("sdpa no mask", () -> List.of(p(90, 2, 2, 3, 4), p(91, 2, 2, 5, 4), p(92, 2, 2, 5, 4)),
                v -> F.scaledDotProductAttention(v.get(0), v.get(1), v.get(2), null)),
            c("sdpa causal mask, permuted q", () -> List.of(p(93, 1, 4, 2, 3), pT(94, 1, 2, 3, 4), p(95, 1, 2, 4, 3)),
                v -> F.scaledDotProductAttention(v.get(0).permute(0, 2, 1, 3), v.get(1).mT(), v.get(2), Inputs.place(F.causalMask(4, clipcl.tensor.DType.F64)))),
            c("sdpa padding mask, v constant", () -> List.of(p(96, 2, 2, 3, 4), pN(97, 2, 2, 3, 4), cst(98, 2, 2, 3, 4)),
                v -> F.scaledDotProductAttention(v.get(0), v.get(1), v.get(2), padMask())),
            c("crossEntropy int[]", () -> List.of(p(100, 4, 5)), v -> F.crossEntropy(v.get(0), new int[] {0, 4, 2, 2})),
            c("crossEntropy tensor targets, transposed logits", () -> List.of(p(101, 5, 3)), v -> F.crossEntropy(v.get(0).mT(), index(102, 5, 3))),
            c("softmaxKl batchmean both sides", () -> List.of(p(103, 3, 5), pT(104, 3, 5)), v -> F.softmaxKl(v.get(0), v.get(1), 2.0)),
            c("softmaxKlSum student only", () -> List.of(cst(105, 2, 3, 4), pN(106, 2, 3, 4)), v -> F.softmaxKlSum(v.get(0), v.get(1), 0.7)),
            c("linear bias 3-d input", () -> List.of(pT(107, 2, 3, 4), p(108, 5, 4), p(109, 5)), v -> F.linear(v.get(0), v.get(1), v.get(2))),
            c("linear no bias, transposed weight", () -> List.of(p(110, 3, 4), pT(111, 5, 4)), v -> F.linear(v.get(0), v.get(1), null))
        );
    }

    /** [2,1,1,3]: batch 0 sees all keys, batch 1 not the last one. */
    private static clipcl.tensor.Tensor padMask() {
        return Inputs.place(clipcl.tensor.Tensor.of(new double[] {0, 0, 0, 0, 0, Double.NEGATIVE_INFINITY}, 2, 1, 1, 3));
    }

    static List<Case> shapes() {
        return List.of(
            c("matmul 2d", () -> List.of(p(50, 3, 4), pT(51, 4, 5)), v -> v.get(0).matmul(v.get(1))),
            c("matmul batched broadcast", () -> List.of(p(52, 2, 1, 3, 4), pN(53, 3, 4, 2)), v -> v.get(0).matmul(v.get(1))),
            c("matmul batch @ shared weight", () -> List.of(pT(54, 2, 3, 4), p(55, 4, 5)), v -> v.get(0).matmul(v.get(1))),
            c("matmul shared @ batch", () -> List.of(p(56, 3, 4), p(57, 2, 4, 5)), v -> v.get(0).matmul(v.get(1))),
            c("matmul vector cases", () -> List.of(p(58, 4), p(59, 2, 4, 3), p(60, 3)),
                v -> v.get(0).matmul(v.get(1)).matmul(v.get(2)).sum().add(v.get(0).matmul(v.get(0)))),
            c("matmul transposed views", () -> List.of(p(61, 2, 4, 3), p(62, 2, 5, 4)), v -> v.get(0).mT().matmul(v.get(1).mT())),
            c("reshape view flatten", () -> List.of(p(63, 2, 3, 4)), v -> v.get(0).reshape(6, 4).view(3, 8).flatten()),
            c("reshape of transposed (copies)", () -> List.of(pT(64, 3, 4)), v -> v.get(0).reshape(2, 6)),
            c("permute transpose", () -> List.of(pN(65, 2, 3, 4)), v -> v.get(0).permute(2, 0, 1).transpose(0, 1)),
            c("narrow slice select", () -> List.of(p(66, 4, 5)), v -> v.get(0).narrow(1, 1, 3).slice(0, 1, -1).select(0, 1)),
            c("sibling narrows of one tensor (q, k, v split)", () -> List.of(pT(82, 2, 6)), v -> {
                List<Var> qkv = v.get(0).split(2, 1);
                return qkv.get(0).mul(qkv.get(1)).add(qkv.get(2).exp()).add(v.get(0).narrow(1, 1, 2));
            }),
            c("sibling selects and a leaf narrow", () -> List.of(p(83, 3, 4)), v -> v.get(0).select(0, 0).mul(v.get(0).select(0, 2)).add(v.get(0).select(1, 1).narrow(0, 0, 3).sum())),
            c("expand unsqueeze squeeze", () -> List.of(pT(67, 3, 1)), v -> v.get(0).unsqueeze(0).expand(2, 3, 4).sum(0, false).mul(v.get(0).squeeze().unsqueeze(1)).add(v.get(0).unsqueeze(2).squeeze(2))),
            c("contiguous", () -> List.of(pT(68, 3, 4)), v -> v.get(0).contiguous()),
            c("indexSelect dim 0 repeats", () -> List.of(p(69, 5, 3)), v -> v.get(0).indexSelect(0, index(70, 5, 7))),
            c("indexSelect dim 1", () -> List.of(pT(71, 3, 5)), v -> v.get(0).indexSelect(1, index(72, 5, 4))),
            c("embedding", () -> List.of(p(73, 6, 4)), v -> F.embedding(v.get(0), index(74, 6, 2, 3))),
            c("gather", () -> List.of(pN(75, 3, 5)), v -> v.get(0).gather(1, index(76, 5, 3, 4))),
            c("concat stack split", () -> List.of(p(77, 2, 3), pT(78, 2, 4)),
                v -> Var.stack(Var.concat(List.of(v.get(0), v.get(1)), 1).split(new int[] {2, 5}, 1).get(1).split(2, 1).subList(0, 2), 0)),
            c("patchConv2d", () -> List.of(p(79, 2, 2, 5, 4), p(80, 3, 2, 2, 2), p(81, 3)), v -> F.patchConv2d(v.get(0), v.get(1), v.get(2)))
        );
    }
}

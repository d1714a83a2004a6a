package clipcl.tensor;

import static clipcl.tensor.OpCheck.s;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Vector backend (F32) against the reference (F64) for every elementwise op, layout and broadcast. */
class ElementwiseOpsTest {
    /** Shapes for unary ops: size-1 dims, empty, odd lengths around the SIMD width, one long run. */
    static final int[][] UNARY_SHAPES = {s(), s(1), s(7), s(33), s(0, 5), s(3, 1, 17), s(4, 70), s(2, 3, 4, 5), s(2000)};

    /** Pairs of shapes that broadcast: equal, scalar, row broadcast [N,D]+[D], column, both ways, empty. */
    static final int[][][] BINARY_SHAPES = {
        {s(5, 37), s(5, 37)}, {s(5, 37), s()}, {s(), s(4, 19)}, {s(6, 40), s(40)}, {s(40), s(6, 40)},
        {s(6, 1), s(6, 23)}, {s(3, 1, 18), s(1, 5, 18)}, {s(2, 3, 4, 5), s(3, 1, 5)}, {s(0, 3), s(3)},
        {s(1), s(1)}, {s(3, 0), s(1, 0)}, {s(3000, 7), s(3000, 1)}, {s(64, 300), s(300)},
    };

    static void unary(String name, Function<Tensor, Tensor> f, double lo, double hi, double rtol, double atol) {
        for (int[] shape : UNARY_SHAPES) {
            OpCheck.op(name, t -> f.apply(t[0])).shapes(shape).range(lo, hi).tol(rtol, atol).check();
        }
    }

    static void binary(String name, Function<Tensor[], Tensor> f, double lo, double hi) {
        for (int[][] p : BINARY_SHAPES) OpCheck.op(name, f).shapes(p).range(lo, hi).check();
    }

    @Test void neg() { unary("neg", Tensor::neg, -3, 3, 0, 0); }
    @Test void abs() { unary("abs", Tensor::abs, -3, 3, 0, 0); }
    @Test void exp() { unary("exp", Tensor::exp, -20, 20, 1e-6, 0); }
    @Test void log() { unary("log", Tensor::log, 1e-3, 50, 1e-6, 1e-7); }
    @Test void sqrt() { unary("sqrt", Tensor::sqrt, 0, 50, 1e-7, 0); }
    @Test void rsqrt() { unary("rsqrt", Tensor::rsqrt, 1e-3, 50, 2e-7, 0); }
    @Test void reciprocal() { unary("reciprocal", Tensor::reciprocal, 0.01, 5, 1e-7, 0); }
    @Test void square() { unary("square", Tensor::square, -3, 3, 1e-7, 0); }
    @Test void tanh() { unary("tanh", Tensor::tanh, -6, 6, 1e-6, 1e-7); }
    @Test void sigmoid() { unary("sigmoid", Tensor::sigmoid, -12, 12, 1e-6, 1e-7); }
    @Test void relu() { unary("relu", Tensor::relu, -3, 3, 0, 0); }
    @Test void gelu() { unary("gelu", Tensor::gelu, -8, 8, 1e-6, 1e-7); }
    @Test void quickGelu() { unary("quick_gelu", Tensor::quickGelu, -8, 8, 1e-6, 1e-7); }

    @Test void add() { binary("add", t -> t[0].add(t[1]), -3, 3); }
    @Test void sub() { binary("sub", t -> t[0].sub(t[1]), -3, 3); }
    @Test void mul() { binary("mul", t -> t[0].mul(t[1]), -3, 3); }
    @Test void div() { binary("div", t -> t[0].div(t[1]), 0.5, 3); }
    @Test void pow() { binary("pow", t -> t[0].pow(t[1]), 0.1, 3); }
    @Test void maximum() { binary("maximum", t -> t[0].maximum(t[1]), -3, 3); }
    @Test void minimum() { binary("minimum", t -> t[0].minimum(t[1]), -3, 3); }

    @Test
    void comparisonsWithTies() {
        String[] names = {"eq", "ne", "lt", "le", "gt", "ge"};
        @SuppressWarnings("unchecked")
        Function<Tensor[], Tensor>[] ops = new Function[] {
            (Function<Tensor[], Tensor>) t -> t[0].eq(t[1]), (Function<Tensor[], Tensor>) t -> t[0].ne(t[1]),
            (Function<Tensor[], Tensor>) t -> t[0].lt(t[1]), (Function<Tensor[], Tensor>) t -> t[0].le(t[1]),
            (Function<Tensor[], Tensor>) t -> t[0].gt(t[1]), (Function<Tensor[], Tensor>) t -> t[0].ge(t[1]),
        };
        for (int i = 0; i < ops.length; i++) {
            for (int[][] p : BINARY_SHAPES) OpCheck.op(names[i], ops[i]).shapes(p).integers(-2, 2).tol(0, 0).check();
        }
    }

    @Test
    void scalarForms() {
        int[][] shapes = {s(), s(9), s(5, 33), s(0, 2)};
        for (int[] sh : shapes) {
            OpCheck.op("add scalar", t -> t[0].add(1.5)).shapes(sh).check();
            OpCheck.op("sub scalar", t -> t[0].sub(-0.25)).shapes(sh).check();
            OpCheck.op("mul scalar", t -> t[0].mul(3)).shapes(sh).check();
            OpCheck.op("div scalar", t -> t[0].div(7)).shapes(sh).check();
            OpCheck.op("pow scalar", t -> t[0].pow(2.5)).shapes(sh).range(0, 3).check();
            OpCheck.op("eq scalar", t -> t[0].eq(1)).shapes(sh).integers(-2, 2).check();
            OpCheck.op("lt scalar", t -> t[0].lt(0)).shapes(sh).integers(-2, 2).check();
            OpCheck.op("gt scalar", t -> t[0].gt(0)).shapes(sh).integers(-2, 2).check();
        }
    }

    @Test
    void whereAndMaskedFill() {
        int[][][] triples = {{s(4, 33), s(4, 33), s(4, 33)}, {s(4, 33), s(33), s()}, {s(1, 33), s(5, 1), s(5, 33)},
            {s(0, 3), s(3), s(3)}, {s(2, 3, 17), s(2, 1, 17), s(3, 17)}};
        for (int[][] p : triples) {
            OpCheck.op("where", t -> Tensor.where(t[0], t[1], t[2])).shapes(p).integers(-1, 1).check();
        }
        int[][][] pairs = {{s(6, 50), s(6, 50)}, {s(6, 50), s(50)}, {s(6, 50), s(6, 1)}, {s(2, 4, 9), s(4, 1)}, {s(0, 4), s(4)}};
        for (int[][] p : pairs) {
            OpCheck.op("masked_fill", t -> t[0].maskedFill(t[1], -1e9)).shapes(p).integers(-1, 1).check();
            OpCheck.op("masked_fill -inf", t -> t[0].maskedFill(t[1], Double.NEGATIVE_INFINITY)).shapes(p).integers(-1, 1).check();
        }
    }

    @Test
    void chainedOpsOnViews() {
        // a typical block: (x @ w + b).gelu() * s, on a transposed and a narrowed operand
        OpCheck.op("chain", t -> t[0].mT().add(t[1]).gelu().mul(t[2]).sub(t[0].mT().sigmoid()))
                .shapes(s(24, 10), s(24), s(10, 1)).tol(1e-5, 1e-6).check();
    }
}

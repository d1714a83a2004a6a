package clipcl.tensor;

import static clipcl.tensor.OpCheck.s;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The checker itself: it must fail on a wrong answer, a reference fallback and a wrong dtype. */
class OpCheckSelfTest {
    @Test
    void failsOnAWrongAnswer() {
        // differs by backend: x on the vector backend, x + 1e-3 on the reference
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> OpCheck.op("wrong",
                t -> Backends.cpu().name().equals("vector") ? t[0].add(0) : t[0].add(1e-3)).shapes(s(3, 5)).check());
        assertTrue(e.getMessage().contains("wrong on [3, 5]"), e.getMessage());
    }

    @Test
    void failsWhenTheVectorBackendFallsBack() {
        // an F64 computation inside the op is not an F32 kernel: it must not count as a pass
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> OpCheck.op("sneaky f64", t -> t[0].to(DType.F64).exp().to(DType.F32)).shapes(s(4)).check());
        assertTrue(e.getMessage().contains("fell back"), e.getMessage());
    }

    @Test
    void failsOnAWrongDtypeOrShape() {
        assertThrows(AssertionFailedError.class, () -> OpCheck.op("dtype", t -> t[0].to(DType.F64)).shapes(s(4)).fallbackOk().check());
        assertThrows(AssertionFailedError.class, () -> OpCheck.op("shape",
                t -> Backends.cpu().name().equals("vector") ? t[0] : t[0].reshape(2, 2)).shapes(s(4)).check());
    }

    @Test
    void nanMustMatchNan() {
        assertThrows(AssertionFailedError.class, () -> OpCheck.compare("nan", new double[] {0}, new double[] {Double.NaN}, 1, 1));
        assertThrows(AssertionFailedError.class, () -> OpCheck.compare("inf", new double[] {1e300}, new double[] {Double.POSITIVE_INFINITY}, 1, 1));
        OpCheck.compare("ok", new double[] {Double.NaN, 1}, new double[] {Double.NaN, 1 + 1e-9}, 1e-8, 0);
    }
}

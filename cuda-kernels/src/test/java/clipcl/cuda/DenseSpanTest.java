package clipcl.cuda;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.DType;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Which views the BF16 cast converts in memory order, keeping their strides (host tensors; no GPU needed). */
@SuppressWarnings("try")
class DenseSpanTest {
    @Test
    void transposesAndPermutationsOfDenseMemoryAreDenseSpans() {
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.zeros(DType.F32, 4, 6, 5);
            assertTrue(CudaBackend.denseSpan(x), "contiguous");
            assertTrue(CudaBackend.denseSpan(x.mT()), "transposed");
            assertTrue(CudaBackend.denseSpan(x.permute(2, 0, 1)), "permuted");
            assertTrue(CudaBackend.denseSpan(x.reshape(1, 24, 5).mT()), "a batch of 1, whatever its stride");
        }
    }

    @Test
    void viewsWithGapsOrRepeatsAreNot() {
        try (Scope s = Scope.open()) {
            Tensor x = Tensor.zeros(DType.F32, 4, 6, 5);
            assertFalse(CudaBackend.denseSpan(x.narrow(2, 0, 3)), "a narrowed last dim leaves gaps");
            assertFalse(CudaBackend.denseSpan(x.narrow(2, 1, 3).mT()), "and transposed");
            assertFalse(CudaBackend.denseSpan(Tensor.zeros(DType.F32, 5).expand(3, 5)), "a broadcast repeats elements");
        }
    }
}

package clipcl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CoreSmokeTest {
    @Test
    void matmulOfTransposedViewMatchesHandComputation() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new float[] {1, 0, 0, 1, 1, 1}, 2, 3);
        Tensor c = a.matmul(b.mT()); // [2,3] x [3,2]
        assertArrayEquals(new float[] {1, 6, 4, 15}, c.toFloatArray(), 0f);
    }

    @Test
    void broadcastAddAndSum() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new double[] {10, 20, 30}, 3);
        Tensor s = a.add(b).sum(0, false);
        assertArrayEquals(new double[] {25, 47, 69}, s.toDoubleArray(), 0);
        assertEquals(141, a.add(b).sum().item(), 0);
    }
}

package clipcl.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import clipcl.tensor.Backend;
import clipcl.tensor.Backends;
import clipcl.tensor.DType;
import clipcl.tensor.Fusion;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * quick_gelu(x W^T + b) with the activation in the SGEMM's epilogue, against a scalar oracle (double
 * sums, the exact sigmoid) and against the unfused linear then quick_gelu, on every SGEMM path:
 * packed with several k-blocks and edge tiles, the small-A path, single rows, 1 and 2 threads.
 */
class LinearQuickGeluTest {
    private final String savedThreads = System.getProperty("clipcl.threads");
    private final Backend savedCpu = Backends.cpu();

    @AfterEach
    void restore() {
        if (savedThreads == null) System.clearProperty("clipcl.threads");
        else System.setProperty("clipcl.threads", savedThreads);
        Backends.setCpu(savedCpu);
        Fusion.setGelu(true);
    }

    private static void check(int m, int k, int n, boolean bias, int threads) {
        System.setProperty("clipcl.threads", Integer.toString(threads));
        try (Scope s = Scope.open()) {
            Rng r = new Rng(m * 31 + k * 7 + n);
            Tensor x = r.normal(DType.F32, 0, 1, m, k), w = r.normal(DType.F32, 0, 1.0 / Math.sqrt(k), n, k);
            Tensor b = bias ? r.normal(DType.F32, 0, 1, n) : null;
            Tensor fused = Training.linearQuickGelu(x, w, b);
            assertNotNull(fused, "the vector backend runs the fused kernel");
            float[] got = fused.toFloatArray();
            String what = "linear+quick_gelu [" + m + "x" + k + "] W [" + n + "x" + k + "] bias " + bias + " threads " + threads;
            assertArrayEquals(Training.linear(x, w, b).quickGelu().toFloatArray(), got, what + ": the unfused linear then quick_gelu");
            float[] xa = x.toFloatArray(), wa = w.toFloatArray(), ba = bias ? b.toFloatArray() : null;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double z = bias ? ba[j] : 0;
                    for (int p = 0; p < k; p++) z += (double) xa[i * k + p] * wa[j * k + p];
                    double want = z / (1 + Math.exp(-1.702 * z));
                    if (!(Math.abs(got[i * n + j] - want) <= 1e-5 * (1 + Math.abs(want)))) {
                        fail(what + " at (" + i + ", " + j + "): fused " + got[i * n + j] + " scalar oracle " + want);
                    }
                }
            }
        }
    }

    @Test
    void matchesTheUnfusedPathAndTheScalarOracle() {
        for (int threads = 1; threads <= 2; threads++) {
            check(50, 768, 384, true, threads);   // packed, three k-blocks, an edge row tile
            check(13, 300, 45, false, threads);   // packed, edge tiles both ways
            check(9, 64, 70, true, threads);      // small A, one k-block
            check(1, 40, 33, true, threads);      // a single row
            check(3, 4, 5, true, threads);        // tiny: the direct loop
        }
    }

    @Test
    void offOrOnAnotherBackendTheCallerComposes() {
        Tensor x = new Rng(1).normal(DType.F32, 0, 1, 2, 3), w = new Rng(2).normal(DType.F32, 0, 1, 4, 3);
        Fusion.setGelu(false);
        assertNull(Training.linearQuickGelu(x, w, null));
        Fusion.setGelu(true);
        Backends.setCpu(new clipcl.tensor.ReferenceBackend());
        assertNull(Training.linearQuickGelu(x, w, null));
    }
}

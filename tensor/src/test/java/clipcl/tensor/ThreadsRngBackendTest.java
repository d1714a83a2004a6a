package clipcl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.cpu.VectorBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Results do not depend on the thread count; Rng streams are reproducible; providers are found. */
class ThreadsRngBackendTest {
    static <T> T withThreads(int n, Supplier<T> f) {
        String old = System.getProperty("clipcl.threads");
        System.setProperty("clipcl.threads", Integer.toString(n));
        try {
            return f.get();
        } finally {
            if (old == null) System.clearProperty("clipcl.threads");
            else System.setProperty("clipcl.threads", old);
        }
    }

    @Test
    void rngIsReproducibleAcrossThreadCountsAndResumable() {
        float[] one = withThreads(1, () -> new Rng(42).normal(DType.F32, 0, 1, 300, 70).toFloatArray());
        float[] two = withThreads(2, () -> new Rng(42).normal(DType.F32, 0, 1, 300, 70).toFloatArray());
        assertArrayEquals(one, two);
        Rng r = new Rng(7);
        r.uniform(DType.F64, 0, 1, 10);
        Rng resumed = new Rng(r.seed(), r.counter());
        assertArrayEquals(r.uniform(DType.F64, -1, 1, 33).toDoubleArray(), resumed.uniform(DType.F64, -1, 1, 33).toDoubleArray(), 0);
        assertTrue(new Rng(1).uniform(DType.F64, 0, 1, 4).toDoubleArray()[0] != new Rng(2).uniform(DType.F64, 0, 1, 4).toDoubleArray()[0]);
    }

    @Test
    void rngMomentsAndPermutation() {
        double[] n = new Rng(3).normal(DType.F64, 1, 2, 20000).toDoubleArray();
        double m = 0, v = 0;
        for (double x : n) m += x;
        m /= n.length;
        for (double x : n) v += (x - m) * (x - m);
        v /= n.length - 1;
        assertEquals(1, m, 0.05);
        assertEquals(4, v, 0.15);
        double[] u = new Rng(4).uniform(DType.F64, -3, 5, 20000).toDoubleArray();
        for (double x : u) assertTrue(x >= -3 && x < 5);
        int[] p = new Rng(5).permutation(100);
        boolean[] seen = new boolean[100];
        for (int i : p) seen[i] = true;
        for (boolean s : seen) assertTrue(s);
        assertArrayEquals(p, new Rng(5).permutation(100));
    }

    @Test
    void vectorKernelsGiveTheSameBitsOnOneAndTwoThreads() {
        Backend old = Backends.setCpu(new VectorBackend());
        try {
            Tensor x = new Rng(11).normal(DType.F32, 0, 2, 600, 120);
            Tensor w = new Rng(12).normal(DType.F32, 0, 1, 120);
            Tensor m = new Rng(13).normal(DType.F32, 0, 1, 96, 8, 16);
            List<Supplier<Tensor>> ops = List.of(
                    () -> x.gelu(), () -> x.exp(), () -> x.add(w), () -> x.softmax(-1), () -> x.logSoftmax(0),
                    () -> x.layerNorm(w, w, 1e-5), () -> x.sum(1, false), () -> x.sum(0, false), () -> x.max(0, false),
                    () -> x.argmax(1, false), () -> x.mT().contiguous(), () -> m.matmul(m.mT()), () -> Tensor.where(x.gt(0), x, w));
            for (int i = 0; i < ops.size(); i++) {
                Supplier<Tensor> op = ops.get(i);
                double[] a = withThreads(1, () -> op.get().toDoubleArray());
                double[] b = withThreads(2, () -> op.get().toDoubleArray());
                assertArrayEquals(a, b, 0, "op " + i + " differs between 1 and 2 threads");
            }
        } finally {
            Backends.setCpu(old);
        }
    }

    @Test
    void nestedParallelLoopsDoNotDeadlock() {
        int[] sum = new int[1];
        withThreads(2, () -> {
            Parallel.forRange(4, 1, (a, b) -> {
                for (int i = a; i < b; i++) {
                    Parallel.forRange(1000, 1, (c, d) -> {
                        synchronized (sum) { sum[0] += d - c; }
                    });
                }
            });
            return null;
        });
        assertEquals(4000, sum[0]);
    }

    @Test
    void forChunksCoversEveryIndexOnceAndRethrows() {
        for (int threads : new int[] {1, 2, 3}) {
            int[] hits = new int[1001];
            withThreads(threads, () -> {
                Parallel.forChunks(hits.length, 7, (a, b) -> {
                    for (int i = a; i < b; i++) hits[i]++; // chunks are disjoint: no race
                });
                return null;
            });
            for (int h : hits) assertEquals(1, h);
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> withThreads(threads, () -> {
                Parallel.forChunks(100, 1, (a, b) -> {
                    if (a <= 50 && 50 < b) throw new IllegalStateException("chunk with 50");
                });
                return null;
            }));
            assertEquals("chunk with 50", e.getMessage());
        }
    }

    @Test
    void serviceLoaderFindsBothCpuBackendsVectorPreferred() {
        List<String> names = new ArrayList<>();
        int vectorRank = -1, refRank = -1;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            names.add(p.name());
            if (p.name().equals("vector")) { vectorRank = p.rank(); assertTrue(p.available()); }
            if (p.name().equals("reference")) refRank = p.rank();
            assertEquals(Device.Kind.CPU, p.device());
            assertEquals(p.name(), p.create(Device.CPU).name());
        }
        assertTrue(names.contains("vector") && names.contains("reference"), names.toString());
        assertTrue(vectorRank > refRank);
        // with no -Dclipcl.backend the highest rank wins (surefire sets none)
        if (System.getProperty("clipcl.backend") == null) assertEquals("vector", Backends.cpu().name());
    }
}

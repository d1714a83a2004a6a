package clipcl.bench;

import clipcl.tensor.cpu.Sgemm;
import clipcl.tensor.cpu.SgemmVariant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SGEMM on square sizes and CLIP's shapes (see {@link SgemmBench#clipShapes}); time per call.
 * GFLOP/s = 2*batch*m*n*k / time. Threads via the {@code threads} parameter (clipcl.threads);
 * the kernel variant via {@code variant} ("current": this machine's choice; or a name such as
 * 6x2-k256, 4x3-k128, 6x2h-k256, see {@link SgemmVariant#all}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC"})
public class SgemmJmh {
    /** "256".."2048" square; qkv, qkvT, fc1, fc2, fc2T, attn: CLIP shapes at batch 8. */
    @Param({"256", "512", "1024", "2048", "qkv", "qkvT", "fc1", "fc2", "fc2T", "attn"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    @Param({"current"})
    public String variant;

    private SgemmBench.Shape s;
    private float[] a, b, c;
    private int bRs, bCs;

    @Setup(Level.Trial)
    public void setup() {
        System.setProperty("clipcl.threads", Integer.toString(threads));
        if (!variant.equals("current")) SgemmVariant.use(SgemmVariant.byName(variant));
        s = SgemmBench.shape(shape);
        SplittableRandom r = new SplittableRandom(5);
        a = random(r, s.batch() * s.m() * s.k());
        b = random(r, s.batch() * s.k() * s.n());
        c = new float[s.batch() * s.m() * s.n()];
        bRs = s.transB() ? 1 : s.n();
        bCs = s.transB() ? s.k() : 1;
    }

    @Benchmark
    public float[] sgemm() {
        if (s.batch() == 1) {
            Sgemm.gemm(s.m(), s.n(), s.k(), a, 0, s.k(), 1, b, 0, bRs, bCs, c, 0, s.n(), false);
        } else {
            Sgemm.batched(s.batch(), s.m(), s.n(), s.k(), a, 0, s.m() * s.k(), s.k(), 1,
                    b, 0, s.k() * s.n(), bRs, bCs, c, 0, s.m() * s.n(), s.n(), false);
        }
        return c;
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }
}

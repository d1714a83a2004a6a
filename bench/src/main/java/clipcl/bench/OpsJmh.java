package clipcl.bench;

import clipcl.tensor.Tensor;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** softmax, layer_norm, gelu, quick_gelu through the public Tensor ops on CLIP's shapes ({@link OpsBench}). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC"})
public class OpsJmh {
    /** "name:[shape]" as listed by {@link OpsBench#cases()}. */
    @Param({"softmax:[4800,50]", "softmax:[4928,77]", "layer_norm:[400,768]", "layer_norm:[616,512]",
            "gelu:[400,3072]", "quick_gelu:[400,3072]"})
    public String op;

    @Param({"2"})
    public int threads;

    private OpsBench.Case c;
    private Tensor[] in;

    @Setup(Level.Trial)
    public void setup() {
        System.setProperty("clipcl.threads", Integer.toString(threads));
        c = OpsBench.cases().stream().filter(x -> (x.name() + ":" + x.shapeText()).equals(op)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("OpsJmh: unknown case " + op));
        in = c.makeInputs();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Tensor t : in) t.close();
    }

    @Benchmark
    public void run() {
        c.op().apply(in).close();
    }
}

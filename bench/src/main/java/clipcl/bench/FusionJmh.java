package clipcl.bench;

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
 * The fused inference kernels against the ops they replace, on ViT-B/32's shapes ({@link FusionOpsAb}'s
 * cases): self-attention from the packed projection (image tower at batch 1 and 32, the causal text
 * tower at batch 32) and c_fc with its bias and QuickGELU in the GEMM epilogue.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC"})
public class FusionJmh {
    @Param({"attention:image-b1", "attention:image-b32", "attention:text-b32", "c_fc_gelu:image-b1", "c_fc_gelu:image-b32"})
    public String kernel;

    /** composed: the ops the fused kernel replaces; fused: the kernel. */
    @Param({"composed", "fused"})
    public String path;

    @Param({"2"})
    public int threads;

    private Runnable body;

    @Setup(Level.Trial)
    public void setup() {
        System.setProperty("clipcl.threads", Integer.toString(threads));
        Runnable[] pair = switch (kernel) {
            case "attention:image-b1" -> FusionOpsAb.attentionPair(1, 50, 768, 12, false);
            case "attention:image-b32" -> FusionOpsAb.attentionPair(32, 50, 768, 12, false);
            case "attention:text-b32" -> FusionOpsAb.attentionPair(32, 77, 512, 8, true);
            case "c_fc_gelu:image-b1" -> FusionOpsAb.linearGeluPair(50, 768, 3072);
            case "c_fc_gelu:image-b32" -> FusionOpsAb.linearGeluPair(1600, 768, 3072);
            default -> throw new IllegalArgumentException("FusionJmh: unknown kernel " + kernel);
        };
        body = path.equals("fused") ? pair[1] : pair[0];
    }

    @Benchmark
    public void run() {
        body.run();
    }
}

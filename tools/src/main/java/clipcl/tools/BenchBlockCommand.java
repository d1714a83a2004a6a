package clipcl.tools;

import clipcl.clip.bench.BlockBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `clipcl bench block`: one CLIP residual block, forward or forward + backward (see {@link BlockBench}). */
@Command(name = "block", mixinStandardHelpOptions = true,
        description = {"one CLIP residual block (pre-LN, MultiheadAttention, QuickGELU MLP), float32, CPU, forward or forward + backward", "",
            "The JSON line: {\"bench\":\"block\",\"ms_per_iter\":...,\"alloc_bytes_per_iter\":...,...}; the peer is bench/peer/peer_block.py.",
            "With --peer libtorch the clipcl launcher times the same block in libtorch in one JVM instead, alternating with ours, on our weights "
            + "(outputs and gradients compared first): scripts/bench-peer.sh block --help.", ""})
public final class BenchBlockCommand implements Callable<Integer> {
    @Option(names = "--width", paramLabel = "W", description = "model width (default ${DEFAULT-VALUE})")
    int width = 768;

    @Option(names = "--heads", paramLabel = "H", description = "attention heads (default ${DEFAULT-VALUE})")
    int heads = 12;

    @Option(names = "--seq", paramLabel = "S", description = "sequence length (default ${DEFAULT-VALUE})")
    int seq = 50;

    @Option(names = "--batch", paramLabel = "B", description = "batch size (default ${DEFAULT-VALUE})")
    int batch = 8;

    @Option(names = "--backward", description = "time forward + backward instead of forward alone (no graph)")
    boolean backward;

    @Option(names = "--causal", description = "add OpenAI's causal mask (the text tower)")
    boolean causal;

    @Mixin
    BenchOptions bench = new BenchOptions(3);

    @Option(names = "--warmup", paramLabel = "S", description = {
        "untimed seconds first, at least 5 iterations (default ${DEFAULT-VALUE}; the JIT compiles the Vector API loops during warm-up)"})
    double warmup = 2;

    @Override
    public Integer call() {
        if (width <= 0 || heads <= 0 || seq <= 0 || batch <= 0) throw new UsageException("--width, --heads, --seq and --batch must be positive");
        if (width % heads != 0) throw new UsageException("--width " + width + " is not divisible by --heads " + heads);
        if (warmup < 0) throw new UsageException("--warmup must be >= 0");
        BlockBench.Result r = BlockBench.measure(width, heads, seq, batch, backward, causal, bench.threads(), bench.seconds(), warmup);
        BlockBench.print(r, bench.json, System.out);
        return 0;
    }
}

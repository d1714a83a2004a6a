package clipcl.tools;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `clipcl bench <what>`: timings printed as a table, or one JSON object on the last line with --json. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"time kernels and models: sgemm, ops, block, encode, train-step, method-step", "",
            "Each benchmark is a subcommand; `clipcl bench <what> --help` describes its options.", ""},
        subcommands = {BenchSgemmCommand.class, BenchOpsCommand.class, BenchBlockCommand.class, BenchEncodeCommand.class,
            BenchTrainStepCommand.class, BenchMethodStepCommand.class},
        footer = {"", "Examples:",
            "  clipcl bench sgemm --size 1024 --threads 1",
            "  clipcl bench sgemm --shape qkv --threads 2 --json",
            "  clipcl bench block --width 768 --heads 12 --seq 50 --batch 8 --backward --threads 2 --json",
            "  clipcl bench train-step --device cuda --batch 128 --check --matmul tf32",
            "  clipcl bench method-step --methods clip-ct,mod-x --protocol stream"})
public final class BenchCommand implements Callable<Integer> {
    /** No benchmark named. */
    @Override
    public Integer call() {
        throw new UsageException("which benchmark? (sgemm, ops, block, encode, train-step, method-step)");
    }
}

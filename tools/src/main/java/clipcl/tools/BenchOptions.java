package clipcl.tools;

import picocli.CommandLine.Option;

/** `--threads T` and `--json`, shared by the CPU benchmarks of `clipcl bench`. */
public final class BenchOptions {
    @Option(names = "--threads", paramLabel = "T", description = "worker threads (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--json", description = "also print the results as one JSON object, on the last line")
    boolean json;

    int threads() {
        if (threads < 1) throw new UsageException("--threads must be >= 1");
        return threads;
    }

    static double seconds(double seconds) {
        if (!(seconds > 0)) throw new UsageException("--seconds must be > 0");
        return seconds;
    }
}

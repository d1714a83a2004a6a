package clipcl.tools;

import picocli.CommandLine.Option;

/** `--threads T`, `--seconds S` and `--json`, shared by the CPU benchmarks of `clipcl bench`. */
public final class BenchOptions {
    @Option(names = "--threads", paramLabel = "T", description = "worker threads (default: all cores)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--seconds", paramLabel = "S", description = "measuring time of each case, and of each side with --peer (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--json", description = "also print the results as one JSON object, on the last line")
    boolean json;

    /** @param seconds the default of --seconds */
    BenchOptions(double seconds) { this.seconds = seconds; }

    int threads() {
        if (threads < 1) throw new UsageException("--threads must be >= 1");
        return threads;
    }

    /** --threads for the Tensor API's worker pool (it reads -Dclipcl.threads when it starts). */
    int poolThreads() {
        System.setProperty("clipcl.threads", Integer.toString(threads()));
        return threads;
    }

    double seconds() {
        if (!(seconds > 0)) throw new UsageException("--seconds must be > 0");
        return seconds;
    }
}

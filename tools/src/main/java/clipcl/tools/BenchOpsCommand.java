package clipcl.tools;

import clipcl.bench.OpsBench;
import clipcl.tensor.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `clipcl bench ops`: the row-wise and elementwise ops through the Tensor API. */
@Command(name = "ops", mixinStandardHelpOptions = true,
        description = {"softmax, layer_norm, gelu, quick_gelu through the Tensor API on CLIP's shapes at batch 8; ms per call (median)", ""})
public final class BenchOpsCommand implements Callable<Integer> {
    @Mixin
    BenchOptions bench = new BenchOptions(3);

    @Override
    public Integer call() {
        int threads = bench.poolThreads();
        double s = bench.seconds();
        String backend = Backends.cpu().name();
        List<String> json = new ArrayList<>();
        System.out.printf(Locale.ROOT, "ops on backend %s, threads %d (median ms per call)%n", backend, threads);
        for (OpsBench.Case c : OpsBench.cases()) {
            double[] t = OpsBench.time(c, s);
            System.out.printf(Locale.ROOT, "  %-11s %-12s %9.4f ms  (best %.4f)%n", c.name(), c.shapeText(), t[0], t[1]);
            json.add(String.format(Locale.ROOT, "{\"op\":\"%s\",\"shape\":%s,\"ms\":%.5f,\"best_ms\":%.5f}",
                    c.name(), c.shapeText(), t[0], t[1]));
        }
        if (bench.json) {
            System.out.printf(Locale.ROOT, "{\"bench\":\"ops\",\"backend\":\"%s\",\"threads\":%d,\"results\":[%s]}%n",
                    backend, threads, String.join(",", json));
        }
        return 0;
    }
}

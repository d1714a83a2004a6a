package clipcl.bench;

import clipcl.clip.config.ClipConfig;
import clipcl.clip.config.ModelConfigs;
import clipcl.clip.model.Clip;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;
import java.util.Arrays;

/**
 * Throughput of a CLIP with random weights (ViT-B/32 by default): encode_image at a batch size,
 * encode_text at a batch size, inference only, median of timed repetitions after warm-up.
 */
public final class EncodeBench {
    /** Items per second of one measurement, with the median time per batch. */
    public record Result(String what, int batch, double msPerBatch, double itemsPerSecond) { }

    private EncodeBench() { }

    public static Clip model(String name, long seed) {
        ClipConfig cfg = ModelConfigs.byName(name);
        return Clip.create(cfg, seed);
    }

    public static Result images(Clip model, int batch, double seconds) {
        int s = model.config().vision().imageSize();
        Tensor x = new Rng(3).normal(DType.F32, 0, 1, batch, 3, s, s);
        return time("encode_image", batch, seconds, () -> model.encodeImages(x, batch).close());
    }

    /** Random texts of 5-40 tokens between SOT and EOT, padded to the context. */
    public static Result texts(Clip model, int batch, double seconds) {
        Tensor t = Tensor.of(textIds(model.config(), batch), batch, model.config().text().contextLength());
        return time("encode_text", batch, seconds, () -> model.encodeTexts(t, batch).close());
    }

    /** Token ids [batch, context] of random texts of 5-40 tokens between SOT and EOT, zero-padded. */
    public static int[] textIds(ClipConfig cfg, int batch) {
        int ctx = cfg.text().contextLength(), vocab = cfg.text().vocabSize();
        Rng rng = new Rng(4);
        int[] ids = new int[batch * ctx];
        for (int b = 0; b < batch; b++) {
            int len = Math.min(ctx, 7 + rng.nextInt(36));
            ids[b * ctx] = vocab - 2;
            for (int i = 1; i < len - 1; i++) ids[b * ctx + i] = 1 + rng.nextInt(vocab - 3);
            ids[b * ctx + len - 1] = vocab - 1;
        }
        return ids;
    }

    static Result time(String what, int batch, double seconds, Runnable r) {
        for (int i = 0; i < 2; i++) r.run();
        double[] ms = new double[1000];
        int n = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (n < ms.length && (n < 3 || System.nanoTime() < end)) {
            long t0 = System.nanoTime();
            r.run();
            ms[n++] = (System.nanoTime() - t0) / 1e6;
        }
        double[] d = Arrays.copyOf(ms, n);
        Arrays.sort(d);
        double med = n % 2 == 1 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
        return new Result(what, batch, med, batch / (med / 1e3));
    }
}

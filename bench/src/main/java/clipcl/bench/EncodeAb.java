package clipcl.bench;

import clipcl.clip.model.Clip;
import clipcl.tensor.DType;
import clipcl.tensor.Fusion;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * A fused inference kernel against the composed path it replaces, in one process: after an untimed
 * round of both, each round times encode with the fusion off, then on (the order flips every round,
 * so a slow minute does not fall on one side only); the speed-up of a round is off ms / on ms.
 * Reports the median ms of each side and the median of the per-round ratios.
 */
public final class EncodeAb {
    /** One case: median ms per batch off and on, and the median per-round speed-up (off / on). */
    public record Result(String what, int batch, String fusion, int rounds, double offMs, double onMs, double ratio) {
        public String line() {
            return String.format(Locale.ROOT, "%-12s batch %3d  %-9s off %9.2f ms  on %9.2f ms  speed-up %.3fx (median of %d rounds)",
                    what, batch, fusion, offMs, onMs, ratio, rounds);
        }
    }

    private EncodeAb() { }

    /** Switches the named fusions (attention, gelu, all). */
    public static void set(String fusion, boolean on) {
        switch (fusion) {
            case "attention" -> Fusion.setAttention(on);
            case "gelu" -> Fusion.setGelu(on);
            case "all" -> { Fusion.setAttention(on); Fusion.setGelu(on); }
            default -> throw new IllegalArgumentException("unknown fusion '" + fusion + "' (attention, gelu, all)");
        }
    }

    public static Result images(Clip model, int batch, String fusion, int rounds, double seconds) {
        int s = model.config().vision().imageSize();
        Tensor x = new Rng(3).normal(DType.F32, 0, 1, batch, 3, s, s);
        return run("encode_image", batch, fusion, rounds, seconds, () -> model.encodeImages(x, batch).close());
    }

    public static Result texts(Clip model, int batch, String fusion, int rounds, double seconds) {
        Tensor t = Tensor.of(EncodeBench.textIds(model.config(), batch), batch, model.config().text().contextLength());
        return run("encode_text", batch, fusion, rounds, seconds, () -> model.encodeTexts(t, batch).close());
    }

    static Result run(String what, int batch, String fusion, int rounds, double seconds, Runnable r) {
        if (rounds < 1) throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        double[] off = new double[rounds], on = new double[rounds], ratio = new double[rounds];
        try {
            // An untimed round first: the fused kernels reach C2 later than the composed path's.
            for (boolean fused : new boolean[] {false, true}) {
                set(fusion, fused);
                EncodeBench.time(what, batch, seconds, r);
            }
            for (int i = 0; i < rounds; i++) {
                for (int side = 0; side < 2; side++) {
                    boolean fused = (side == 0) == (i % 2 == 1);
                    set(fusion, fused);
                    double ms = EncodeBench.time(what, batch, seconds, r).msPerBatch();
                    if (fused) on[i] = ms;
                    else off[i] = ms;
                }
                ratio[i] = off[i] / on[i];
            }
        } finally {
            set(fusion, true);
        }
        return new Result(what, batch, fusion, rounds, median(off), median(on), median(ratio));
    }

    static double median(double[] x) {
        double[] d = x.clone();
        Arrays.sort(d);
        int n = d.length;
        return n % 2 == 1 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
    }
}

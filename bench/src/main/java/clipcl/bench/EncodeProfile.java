package clipcl.bench;

import clipcl.clip.model.Clip;
import clipcl.tensor.DType;
import clipcl.tensor.OpProfile;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the time of encode_image / encode_text goes, step by step ({@link OpProfile}'s labels: each
 * GEMM, layer_norm, softmax, QuickGELU, copies...), as shares of the whole forward. The timers add
 * a clock read per step (tens of them per layer, each step 0.05-5 ms), so shares are what it is for;
 * the throughput comes from {@link EncodeBench} with the profile off.
 */
public final class EncodeProfile {
    /** One step: total ms per forward, calls per forward, share of the forward's wall time. */
    public record Row(String label, double msPerForward, double callsPerForward, double share) { }

    /** A profile of one case: rows by share (largest first), the last one the untimed rest. */
    public record Result(String what, int batch, int forwards, double msPerForward, List<Row> rows) {
        public String table() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s batch %d: %.2f ms per forward (profiled, %d forwards)%n",
                    what, batch, msPerForward, forwards));
            sb.append(String.format(Locale.ROOT, "| %-44s | %10s | %8s | %6s |%n", "step", "ms/forward", "calls", "share"));
            sb.append("|---|---:|---:|---:|\n");
            for (Row r : rows) {
                sb.append(String.format(Locale.ROOT, "| %-44s | %10.3f | %8.0f | %5.1f%% |%n", r.label, r.msPerForward, r.callsPerForward, 100 * r.share));
            }
            return sb.toString();
        }
    }

    private EncodeProfile() { }

    public static Result images(Clip model, int batch, double seconds) {
        int s = model.config().vision().imageSize();
        Tensor x = new Rng(3).normal(DType.F32, 0, 1, batch, 3, s, s);
        return profile("encode_image", batch, seconds, () -> model.encodeImages(x, batch).close());
    }

    public static Result texts(Clip model, int batch, double seconds) {
        Tensor t = Tensor.of(EncodeBench.textIds(model.config(), batch), batch, model.config().text().contextLength());
        return profile("encode_text", batch, seconds, () -> model.encodeTexts(t, batch).close());
    }

    static Result profile(String what, int batch, double seconds, Runnable r) {
        boolean was = OpProfile.enabled();
        OpProfile.enable(true);
        try {
            for (int i = 0; i < 2; i++) r.run();                        // warm-up, with the timers on
            OpProfile.reset();
            long t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9);
            int n = 0;
            while (n < 3 || System.nanoTime() < end) {
                r.run();
                n++;
            }
            double wallMs = (System.nanoTime() - t0) / 1e6 / n;
            List<Row> rows = new ArrayList<>();
            double timed = 0;
            for (Map.Entry<String, long[]> e : OpProfile.snapshot().entrySet()) {
                double ms = e.getValue()[0] / 1e6 / n;
                timed += ms;
                rows.add(new Row(e.getKey(), ms, (double) e.getValue()[1] / n, ms / wallMs));
            }
            rows.sort((a, b) -> Double.compare(b.msPerForward, a.msPerForward));
            double rest = Math.max(0, wallMs - timed);
            rows.add(new Row("other (untimed: views, allocation, glue)", rest, 0, rest / wallMs));
            return new Result(what, batch, n, wallMs, rows);
        } finally {
            OpProfile.enable(was);
            OpProfile.reset();
        }
    }
}

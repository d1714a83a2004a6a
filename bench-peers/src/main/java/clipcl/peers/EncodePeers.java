package clipcl.peers;

import clipcl.bench.EncodeBench;
import clipcl.clip.config.ClipConfig;
import clipcl.clip.config.ModelConfigs;
import clipcl.clip.model.Clip;
import clipcl.clip.weights.StateDict;
import clipcl.clip.weights.WeightLoader;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * CLIP inference, ours against ONNX Runtime on the same weights: encode_image at each batch size
 * and (for ViT towers) encode_text. Before timing, both encode the same two inputs and the largest
 * difference of the features is printed; beyond 1e-3 of the features' scale the run stops, since
 * the two would not be computing the same thing.
 */
final class EncodePeers {
    private EncodePeers() { }

    static void run(Map<String, String> o) throws Exception {
        if (!"onnxruntime".equals(o.getOrDefault("peer", "onnxruntime"))) {
            throw new IllegalArgumentException("--peer " + o.get("peer") + ": encode's peer is onnxruntime");
        }
        String modelName = o.getOrDefault("model", "ViT-B-32");
        if (!o.containsKey("dir")) throw new IllegalArgumentException("encode: --dir DIR (from bench/peer/export_onnx.py) is required");
        Path dir = Path.of(o.get("dir"));
        int threads = Integer.parseInt(o.getOrDefault("threads", "2"));
        double seconds = Double.parseDouble(o.getOrDefault("seconds", "6"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
        System.setProperty("clipcl.threads", Integer.toString(threads));
        ClipConfig cfg = ModelConfigs.byName(modelName);
        Clip model;
        try (StateDict sd = WeightLoader.load(dir.resolve("weights.pt"))) {
            model = Clip.fromStateDict(cfg, sd.tensors());
        }
        int size = cfg.vision().imageSize();
        System.out.println("| model | what | batch | threads | ours items/s | onnxruntime items/s | ours/onnxruntime | max abs diff (scale) |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        try (OrtTower image = new OrtTower(dir.resolve("image.onnx"), threads)) {
            String check = compare(model.encodeImages(pixels(2, size), 2).toFloatArray(),
                    image.images(pixels(2, size).toFloatArray(), 2, size), "encode_image");
            for (String b : o.getOrDefault("batches", "1,32").split(",")) {
                int batch = Integer.parseInt(b.trim());
                Tensor x = pixels(batch, size);
                float[] px = x.toFloatArray();
                Alternate.Times t = Alternate.run(() -> model.encodeImages(x, batch).close(),
                        () -> call(() -> image.images(px, batch, size)), seconds, rounds);
                row(modelName, "encode_image", batch, threads, t, check);
            }
        }
        if (!cfg.vision().isResNet() || dir.resolve("text.onnx").toFile().isFile()) {
            int batch = Integer.parseInt(o.getOrDefault("text-batch", "32")), ctx = cfg.text().contextLength();
            try (OrtTower text = new OrtTower(dir.resolve("text.onnx"), threads)) {
                String check = compare(model.encodeTexts(ids(cfg, 2), 2).toFloatArray(),
                        text.texts(longs(EncodeBench.textIds(cfg, 2)), 2, ctx), "encode_text");
                Tensor t = ids(cfg, batch);
                long[] ids = longs(EncodeBench.textIds(cfg, batch));
                Alternate.Times times = Alternate.run(() -> model.encodeTexts(t, batch).close(),
                        () -> call(() -> text.texts(ids, batch, ctx)), seconds, rounds);
                row(modelName, "encode_text", batch, threads, times, check);
            }
        }
    }

    private static void row(String model, String what, int batch, int threads, Alternate.Times t, String check) {
        System.out.printf(Locale.ROOT, "| %s | %s | %d | %d | %.1f | %.1f | %.2f | %s |%n", model, what, batch, threads,
                batch / (t.oursMs() / 1e3), batch / (t.peerMs() / 1e3), t.ratio(), check);
    }

    /** Max |ours - peer| over all features, or a stop when it exceeds 1e-3 of the largest |feature|. */
    private static String compare(float[] ours, float[][] peer, String what) {
        double diff = 0, scale = 0;
        int e = peer[0].length;
        if (ours.length != peer.length * e) {
            throw new IllegalStateException(what + ": ours gave " + ours.length + " floats, onnxruntime " + peer.length + "x" + e);
        }
        for (int i = 0; i < peer.length; i++) {
            for (int j = 0; j < e; j++) {
                diff = Math.max(diff, Math.abs(ours[i * e + j] - peer[i][j]));
                scale = Math.max(scale, Math.abs(peer[i][j]));
            }
        }
        String s = String.format(Locale.ROOT, "%.2g (%.2g)", diff, scale);
        System.out.println("<!-- " + what + ": ours vs onnxruntime on 2 inputs, max abs diff " + s + " -->");
        if (!(diff <= 1e-3 * scale)) {
            throw new IllegalStateException(what + ": ours and onnxruntime differ by " + s
                    + " (max abs diff (scale)): not the same model; no timing");
        }
        return s;
    }

    private static Tensor pixels(int batch, int size) {
        return new Rng(3).normal(DType.F32, 0, 1, batch, 3, size, size);
    }

    private static Tensor ids(ClipConfig cfg, int batch) {
        return Tensor.of(EncodeBench.textIds(cfg, batch), batch, cfg.text().contextLength());
    }

    private static long[] longs(int[] x) {
        long[] out = new long[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i];
        return out;
    }

    private interface Call { Object run() throws Exception; }

    private static void call(Call c) {
        try {
            c.run();
        } catch (Exception e) {
            throw new IllegalStateException("onnxruntime: " + e.getMessage(), e);
        }
    }
}

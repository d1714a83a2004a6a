package clipcl.peers;

import clipcl.autograd.Var;
import clipcl.autograd.optim.AdamW;
import clipcl.autograd.optim.Optimizer;
import clipcl.autograd.optim.ParamGroups;
import clipcl.clip.bench.TrainStepBench;
import clipcl.clip.config.ClipConfig;
import clipcl.clip.config.ModelConfigs;
import clipcl.clip.model.Clip;
import clipcl.tensor.Device;
import clipcl.tensor.Tensor;
import java.util.Locale;
import java.util.Map;

/**
 * A full CLIP training step, ours ({@link TrainStepBench#step}: both towers, symmetric contrastive
 * loss with the logit scale, global-norm clipping 1.0, AdamW) against {@link LibtorchClip} on the
 * same weights (ours's seed-1 model copied in), the same batch ({@link TrainStepBench#data}) and
 * the same hyper-parameters (lr 5e-4, betas 0.9/0.98, eps 1e-6, weight decay 0.2 on open_clip's
 * decay group).
 *
 * <p>Before timing, both towers' features of the batch must agree within {@link #FEATURE_TOL} of
 * their largest magnitude; then each side takes two steps from the same start: the first loss (same weights)
 * must agree within {@link #FIRST_TOL} relative, the second (after one clipped AdamW update on each
 * side) within {@link #SECOND_TOL}; otherwise the run stops. The second bound is wider because
 * AdamW's first update is lr * g / (|g| + eps) elementwise, so parameters whose gradient is near
 * zero move by up to lr in directions the two sides' rounding decides. The largest parameter
 * difference after the two steps is printed beside them, in units of lr.
 */
final class TrainStepPeer {
    static final double FEATURE_TOL = 1e-4, FIRST_TOL = 1e-4, SECOND_TOL = 1e-3;
    private static final double LR = 5e-4, BETA1 = 0.9, BETA2 = 0.98, EPS = 1e-6, WEIGHT_DECAY = 0.2;

    private TrainStepPeer() { }

    static void run(Map<String, String> o) {
        if (!"libtorch".equals(o.getOrDefault("peer", "libtorch"))) {
            throw new IllegalArgumentException("--peer " + o.get("peer") + ": train-step's peer is libtorch");
        }
        PeerMain.only(o, "train-step", "peer", "model", "batch", "threads", "rounds", "seconds");
        String modelName = o.getOrDefault("model", "ViT-B-32");
        int batch = BlockPeer.integer(o, "batch", 32), threads = BlockPeer.integer(o, "threads", 2), rounds = BlockPeer.integer(o, "rounds", 3);
        double seconds = Double.parseDouble(o.getOrDefault("seconds", "60"));
        if (batch < 2 || threads <= 0 || rounds <= 0) throw new IllegalArgumentException("train-step: --batch >= 2, --threads and --rounds > 0");
        System.setProperty("clipcl.threads", Integer.toString(threads));
        LibtorchSgemm.setThreads(threads);
        ClipConfig cfg = ModelConfigs.byName(modelName);

        Clip clip = Clip.create(cfg, 1, Device.CPU);                       // as TrainStepBench.run
        Optimizer opt = new AdamW(ParamGroups.openClip(clip.namedParameters(), WEIGHT_DECAY), LR, BETA1, BETA2, EPS);
        LibtorchClip peer = new LibtorchClip(cfg, clip.namedParameters(), LR, BETA1, BETA2, EPS, WEIGHT_DECAY);
        Tensor[] data = TrainStepBench.data(cfg, Device.CPU, batch);
        org.bytedeco.pytorch.Tensor images = Torch.copy(data[0]);
        org.bytedeco.pytorch.Tensor ids = longs(data[1]), labels = longs(data[2]);
        System.out.printf(Locale.ROOT, "<!-- train-step %s batch %d, %,d parameters, threads %d; %s -->%n",
                modelName, batch, clip.numParameters(), threads, new LibtorchSgemm().name());

        String check = check(clip, opt, peer, data, images, ids, labels);
        Alternate.Times t = Alternate.run(() -> loss(TrainStepBench.step(clip, opt, data[0], data[1], data[2])),
                () -> peer.step(images, ids, labels), seconds, rounds, 1, 1);
        System.out.println("| model | batch | threads | ours samples/s | libtorch samples/s | ours/libtorch | ours ms | libtorch ms | steps (ours, libtorch) | check |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %.2f | %.0f | %.0f | %d, %d | %s |%n", modelName, batch, threads,
                batch / (t.oursMs() / 1e3), batch / (t.peerMs() / 1e3), t.ratio(), t.oursMs(), t.peerMs(), t.oursCalls(), t.peerCalls(), check);
    }

    /**
     * The features of the batch from the shared start, then two steps on each side, the losses
     * compared: a summary, or an IllegalStateException at the first disagreement.
     */
    static String check(Clip clip, Optimizer opt, LibtorchClip peer, Tensor[] data,
                                org.bytedeco.pytorch.Tensor images, org.bytedeco.pytorch.Tensor ids, org.bytedeco.pytorch.Tensor labels) {
        String features = features(clip, peer, data, images, ids);
        double[] ours = new double[2], theirs = new double[2];
        for (int s = 0; s < 2; s++) {
            ours[s] = loss(TrainStepBench.step(clip, opt, data[0], data[1], data[2]));
            theirs[s] = peer.step(images, ids, labels)[0];
            double rel = Math.abs(ours[s] - theirs[s]) / Math.abs(theirs[s]), tol = s == 0 ? FIRST_TOL : SECOND_TOL;
            System.out.printf(Locale.ROOT, "<!-- check step %d: loss ours %.9g, libtorch %.9g, relative difference %.2e (bound %.0e) -->%n",
                    s + 1, ours[s], theirs[s], rel, tol);
            if (!(rel <= tol)) {
                throw new IllegalStateException("train-step: step " + (s + 1) + "'s loss differs: ours " + ours[s] + ", libtorch " + theirs[s]
                        + " (relative " + rel + " > " + tol + "): not the same training step; no timing");
            }
        }
        double worst = 0;
        String worstName = "";
        for (Map.Entry<String, Var> e : clip.namedParameters().entrySet()) {
            if (!e.getValue().requiresGrad()) continue;
            float[] a = e.getValue().data().contiguous().toFloatArray(), b = peer.values(e.getKey());
            for (int i = 0; i < a.length; i++) {
                double d = Math.abs((double) a[i] - b[i]);
                if (d > worst) { worst = d; worstName = e.getKey(); }
            }
        }
        System.out.printf(Locale.ROOT, "<!-- check: parameters after 2 steps differ by at most %.2g lr (%s) -->%n", worst / LR, worstName);
        return String.format(Locale.ROOT, "%s; losses step 1 %.1e, step 2 %.1e rel.", features, Math.abs(ours[0] - theirs[0]) / Math.abs(theirs[0]),
                Math.abs(ours[1] - theirs[1]) / Math.abs(theirs[1]));
    }

    /**
     * Both towers' features of the batch from the shared starting weights, without a graph: a
     * sharper check of the forward than the loss, which random weights leave close to ln(batch).
     */
    private static String features(Clip clip, LibtorchClip peer, Tensor[] data, org.bytedeco.pytorch.Tensor images, org.bytedeco.pytorch.Tensor ids) {
        int b = data[0].dim(0);
        float[] img, txt, timg, ttxt;
        try (Tensor i = clip.encodeImages(data[0], b); Tensor t = clip.encodeTexts(data[1], b)) {
            img = i.toFloatArray();
            txt = t.toFloatArray();
        }
        try (org.bytedeco.javacpp.PointerScope s = new org.bytedeco.javacpp.PointerScope();
             org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
            timg = Torch.values(peer.encodeImage(images));
            ttxt = Torch.values(peer.encodeText(ids));
        }
        String s = "image features " + Torch.compare("image features", img, timg, FEATURE_TOL)
                + ", text features " + Torch.compare("text features", txt, ttxt, FEATURE_TOL);
        System.out.println("<!-- check: " + s + " (max abs diff (scale)) -->");
        return s;
    }

    private static double loss(Tensor loss) {
        try (loss) {
            return loss.item();
        }
    }

    /** An int64 libtorch copy of an I32 tensor of ours (token ids, labels). */
    static org.bytedeco.pytorch.Tensor longs(Tensor t) {
        int[] x = t.contiguous().toIntArray();
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = x[i];                  // ids < 2^24: exact in float32
        return Torch.copy(f, t.dims()).toType(org.bytedeco.pytorch.global.torch.ScalarType.Long);
    }
}

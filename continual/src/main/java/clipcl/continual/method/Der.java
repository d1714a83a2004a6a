package clipcl.continual.method;

import clipcl.autograd.Var;
import clipcl.clip.model.Clip;
import clipcl.continual.data.ReplayBuffer;
import clipcl.continual.data.ReservoirBuffer;
import clipcl.continual.train.Batch;
import clipcl.continual.train.LossTerm;
import clipcl.continual.train.StudentOutputs;
import clipcl.continual.train.TeacherContext;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DER (Buzzega et al. 2020) re-done for CLIP, as paper B's baseline: a reservoir buffer of past items
 * with what the model produced for them, replayed in every batch, and a term pulling the current
 * outputs of the replayed items towards the stored ones. CLIP has no classifier logits; what is stored
 * is the item's L2-normalised image embedding (the vector whose dot products with captions are CLIP's
 * logits), and the term is the mean over replayed rows of the squared distance.
 *
 * <p>The stored outputs are taken at the start of the phase after the item's own (from the weights
 * that finished training on it), where DER takes them during training; with one embedding per item
 * that is the same model up to the phase's last steps. Two variants, two command-line names:
 * <ul>
 * <li>{@code der}, plain DER: the replayed items enter the loss only through this term; the base
 *     objective is computed over the batch's new items alone (the replayed rows are neither anchors
 *     nor negatives there);</li>
 * <li>{@code der++}, DER++: the replayed items also stay in the base objective with their own captions
 *     (DER++'s label term, here weighted 1 and sharing the batch with the new items instead of a
 *     second mini-batch with its own beta).</li>
 * </ul>
 * {@code der:variant=pp} is DER++ as well, under the base name the command line's replay settings
 * know. Options: alpha (default 1), buffer (default 3,000, the paper's), variant plain|pp.
 */
public final class Der implements Method {
    static final Set<String> OPTIONS = Set.of("alpha", "buffer", "variant");
    private static final long BUFFER_SEED = 2027;

    private final double alpha;
    private final boolean plusPlus;
    private final ReplayBuffer buffer;
    private final Map<Integer, float[]> stored = new HashMap<>();

    /** plusPlus: DER++ (the replayed items also in the base objective), else plain DER. */
    public Der(double alpha, int bufferSize, boolean plusPlus) {
        if (!(alpha >= 0)) throw new IllegalArgumentException("method der: alpha must be >= 0, got " + alpha);
        this.alpha = alpha;
        this.plusPlus = plusPlus;
        this.buffer = new ReservoirBuffer(bufferSize, BUFFER_SEED);
    }

    /** plusPlus: named der++ (then variant may only say pp); else variant plain (default) or pp. */
    public static Der of(MethodOptions o, boolean plusPlus) {
        String v = plusPlus ? o.choice("variant", "pp") : o.choice("variant", "plain", "pp");
        return new Der(o.number("alpha", 1), o.integer("buffer", 3000), v.equals("pp"));
    }

    @Override
    public String name() { return plusPlus ? "der++" : "der"; }

    @Override
    public boolean replayInBaseObjective() { return plusPlus; }

    @Override
    public ReplayBuffer replayBuffer() { return buffer; }

    /** Embeds the buffer's items not embedded yet with the model as it is now, and forgets the evicted ones. */
    @Override
    public void beginSession(MethodContext ctx) {
        List<Integer> missing = new ArrayList<>();
        java.util.Set<Integer> inBuffer = new java.util.HashSet<>();
        for (ReplayBuffer.Entry e : buffer.entries()) {
            inBuffer.add(e.item());
            if (!stored.containsKey(e.item()) && !missing.contains(e.item())) missing.add(e.item());
        }
        stored.keySet().retainAll(inBuffer);
        Clip model = ctx.model();
        model.eval();
        for (int at = 0; at < missing.size(); at += 256) {
            int n = Math.min(256, missing.size() - at);
            int[] items = new int[n];
            for (int i = 0; i < n; i++) items[i] = missing.get(at + i);
            try (Scope s = Scope.open()) {
                Batch b = ctx.batches().of(items, at);
                float[] f = model.encodeImages(b.images(), 256).contiguous().toFloatArray();
                int e = f.length / n;
                for (int i = 0; i < n; i++) stored.put(items[i], unit(f, i * e, e));
            }
        }
        model.train(true);
    }

    @Override
    public List<LossTerm> lossTerms(MethodContext ctx) {
        return List.of(new LossTerm() {
            @Override
            public String name() { return "der"; }

            @Override
            public double weight() { return alpha; }

            @Override
            public Var compute(Batch batch, StudentOutputs s, TeacherContext t) { return term(batch, s.imageFeatures(), stored); }
        });
    }

    /** mean over the batch's replayed rows of |unit(f_i) - stored_i|^2; zero (a constant) without replayed rows. */
    static Var term(Batch batch, Var imageFeatures, Map<Integer, float[]> stored) {
        int r = batch.replayed(), b = batch.size();
        if (r == 0) return Var.constant(Tensor.scalar(0, imageFeatures.dtype(), imageFeatures.data().device()));
        int e = imageFeatures.dim(1);
        float[] target = new float[r * e];
        for (int i = 0; i < r; i++) {
            float[] v = stored.get(batch.items()[b - r + i]);
            if (v == null) throw new IllegalStateException("der: replayed item " + batch.items()[b - r + i] + " has no stored embedding");
            System.arraycopy(v, 0, target, i * e, e);
        }
        Var now = imageFeatures.narrow(0, b - r, r).l2Normalize(-1, 1e-12);              // [R, E]
        return now.sub(Var.constant(Tensor.of(target, r, e).to(now.data().device()))).square().sum().div(r);
    }

    private static float[] unit(float[] f, int off, int n) {
        double s = 0;
        for (int k = 0; k < n; k++) s += (double) f[off + k] * f[off + k];
        double inv = 1 / Math.sqrt(s);
        float[] u = new float[n];
        for (int k = 0; k < n; k++) u[k] = (float) (f[off + k] * inv);
        return u;
    }

    @Override
    public Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        stored.forEach((k, v) -> {
            List<Object> l = new ArrayList<>();
            for (float x : v) l.add((double) x);
            m.put(Integer.toString(k), l);
        });
        return Map.of("stored", m);
    }

    @Override
    public void loadState(Map<String, Object> state) {
        stored.clear();
        if (state == null || !(state.get("stored") instanceof Map<?, ?> m)) return;
        m.forEach((k, v) -> {
            List<?> l = (List<?>) v;
            float[] f = new float[l.size()];
            for (int i = 0; i < f.length; i++) f[i] = ((Number) l.get(i)).floatValue();
            stored.put(Integer.parseInt((String) k), f);
        });
    }
}

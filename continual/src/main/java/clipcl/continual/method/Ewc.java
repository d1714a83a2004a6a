package clipcl.continual.method;

import clipcl.autograd.Var;
import clipcl.clip.model.Clip;
import clipcl.continual.train.Batch;
import clipcl.continual.train.ContrastiveLoss;
import clipcl.continual.train.ParamMaps;
import clipcl.continual.train.Regularizer;
import clipcl.continual.train.StudentOutputs;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EWC (Kirkpatrick et al. 2017) re-done with CLIP's contrastive loss, as paper B's baseline: at the end
 * of every phase a diagonal Fisher is estimated from the squared gradients of the contrastive loss on
 * batches of that phase's items, and later phases pay lambda / 2 * sum F (theta - theta*)^2 with theta*
 * the weights at the end of the last phase. Fishers of successive phases are summed (online EWC with
 * no decay), so one penalty covers every earlier phase.
 *
 * <p>The Fisher is the empirical one from mini-batch gradients (mean over batches of g^2), the form
 * CLIP-scale implementations use because per-sample gradients are unaffordable; it is smaller than
 * the per-sample Fisher by about the batch size, which lambda absorbs. Options: lambda (default 1000,
 * not tuned: read the logged {@code ewc} term against the contrastive loss before changing it) and
 * fisher_batches (default 8).
 */
public final class Ewc implements Method {
    static final Set<String> OPTIONS = Set.of("lambda", "fisher_batches");

    private final double lambda;
    private final int fisherBatches;
    private Map<String, Tensor> fisher, anchor;

    public Ewc(double lambda, int fisherBatches) {
        if (!(lambda >= 0)) throw new IllegalArgumentException("method ewc: lambda must be >= 0, got " + lambda);
        if (fisherBatches <= 0) throw new IllegalArgumentException("method ewc: fisher_batches must be positive, got " + fisherBatches);
        this.lambda = lambda;
        this.fisherBatches = fisherBatches;
    }

    public static Ewc of(MethodOptions o) { return new Ewc(o.number("lambda", 1000), o.integer("fisher_batches", 8)); }

    @Override
    public String name() { return "ewc"; }

    @Override
    public List<Regularizer> regularizers(MethodContext ctx) {
        if (fisher == null) return List.of();
        // Fisher and anchor are kept where they were computed or loaded (the host for a loaded state):
        // the penalty needs them beside the parameters.
        fisher = ParamMaps.onDevice(fisher, ctx.model().device());
        anchor = ParamMaps.onDevice(anchor, ctx.model().device());
        Map<String, Tensor> f = fisher, a = anchor;
        return List.of(new Regularizer() {
            @Override
            public String name() { return "ewc"; }

            @Override
            public double weight() { return lambda / 2; }

            @Override
            public Var penalty(Clip model) { return ParamMaps.fisherDistance(model.namedParameters(), a, f); } // all on the model's device
        });
    }

    @Override
    public void endSession(MethodContext ctx) {
        Map<String, Tensor> f = fisher(ctx.model(), ctx, fisherBatches);
        fisher = fisher == null ? f : ParamMaps.add(fisher, f);
        anchor = new LinkedHashMap<>();
        ctx.model().trainableParameters().forEach((n, v) -> anchor.put(n, Scope.detach(v.data().copy())));
        Map<String, Tensor> kept = new LinkedHashMap<>();
        for (String n : anchor.keySet()) kept.put(n, fisher.get(n));
        fisher = kept;
    }

    /** Mean over batches of the squared gradient of the contrastive loss, per trainable parameter. */
    static Map<String, Tensor> fisher(Clip model, MethodContext ctx, int batches) {
        int[] items = ctx.session().items();
        int bs = Math.min(ctx.config().batch(), items.length);
        int[] order = new Rng(ctx.seed() * 104729 + ctx.session().index()).permutation(items.length);
        Map<String, Var> params = model.trainableParameters();
        Map<String, double[]> acc = new LinkedHashMap<>();
        params.forEach((n, v) -> acc.put(n, new double[v.numel()]));
        ContrastiveLoss loss = new ContrastiveLoss(ctx.config().multiPositive());
        int used = 0;
        for (int k = 0; k < batches && (k + 1) * bs <= items.length; k++) {
            int[] b = new int[bs];
            for (int i = 0; i < bs; i++) b[i] = items[order[k * bs + i]];
            params.values().forEach(Var::zeroGrad);
            try (Scope s = Scope.open()) {
                Batch batch = ctx.batches().of(b, k);
                loss.compute(batch, new StudentOutputs(model, batch), null).backward();
            }
            params.forEach((n, v) -> {
                if (v.grad() == null) return;
                float[] g = v.grad().contiguous().toFloatArray();
                double[] a = acc.get(n);
                for (int i = 0; i < g.length; i++) a[i] += (double) g[i] * g[i];
            });
            used++;
        }
        params.values().forEach(Var::zeroGrad);
        if (used == 0) throw new IllegalStateException("ewc: session " + ctx.session().index() + " has fewer items than one batch");
        Map<String, Tensor> out = new LinkedHashMap<>();
        final int u = used;
        acc.forEach((n, a) -> {
            float[] f = new float[a.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) (a[i] / u);
            out.put(n, Scope.detach(clipcl.continual.train.Placement.onDevice(Tensor.of(f, params.get(n).dims()), params.get(n).data().device())));
        });
        return out;
    }

    /** Fisher and anchor as a checkpoint part ("fisher.<param>", "anchor.<param>"); exact, unlike a JSON copy. */
    @Override
    public Map<String, Tensor> stateTensors() {
        if (fisher == null) return Map.of();
        Map<String, Tensor> out = new LinkedHashMap<>();
        fisher.forEach((n, t) -> out.put("fisher." + n, t));
        anchor.forEach((n, t) -> out.put("anchor." + n, t));
        return out;
    }

    @Override
    public void loadStateTensors(Map<String, Tensor> tensors) {
        fisher = new LinkedHashMap<>();
        anchor = new LinkedHashMap<>();
        tensors.forEach((n, t) -> {
            if (n.startsWith("fisher.")) fisher.put(n.substring(7), t);
            else if (n.startsWith("anchor.")) anchor.put(n.substring(7), t);
            else throw new IllegalArgumentException("ewc: checkpoint part has an unexpected tensor '" + n + "'");
        });
        if (!fisher.keySet().equals(anchor.keySet())) throw new IllegalArgumentException("ewc: checkpoint part's Fisher and anchor name different parameters");
    }
}

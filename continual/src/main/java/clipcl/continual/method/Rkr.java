package clipcl.continual.method;

import clipcl.autograd.Var;
import clipcl.clip.model.Clip;
import clipcl.continual.train.UpdateOption;
import clipcl.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RKR (paper A, Sec. IV-B): CLIP stays frozen and only rectifiers installed through the parametrization
 * hook learn; installed before the first session and trained through all sessions (MST). The tower(s)
 * are those of the update option (WM both, IO the image encoder, TO the text encoder). Options:
 * <ul>
 * <li>variant scale (default, the paper): a learnable scale s (init ones) on each residual block's
 *     output. Our blocks are pre-LN, {@code x + attn(ln_1 x)} then {@code + mlp(ln_2 x)}; a scale on the
 *     block's whole output would rescale the residual stream itself, so we read "the block's output" as
 *     the outputs of its two residual branches: one scale on the attention's out_proj and one on the
 *     MLP's c_proj, each scaling that layer's weight and bias, i.e. its whole output;</li>
 * <li>variant lowrank (the authors' code): a rank-r update plus per-output scale on every Linear of the
 *     tower's blocks (in_proj, out_proj, c_fc, c_proj; {@link LowRankRectifier}); rank option r, default 4.</li>
 * </ul>
 * On resume the rectifiers are installed again ({@link #restoreModel}) before the checkpoint's weights,
 * which hold their trained values, are loaded.
 */
public final class Rkr implements Method {
    private final boolean lowRank;
    private final int rank;
    private final List<String> installed = new ArrayList<>();

    public Rkr(MethodOptions o) {
        o.allow("variant", "rank");
        lowRank = o.choice("variant", "scale", "lowrank").equals("lowrank");
        rank = o.integer("rank", 4);
        if (rank <= 0) throw new IllegalArgumentException("method rkr: rank must be positive, got " + rank);
    }

    @Override
    public String name() { return "rkr"; }

    @Override
    public void beginSession(MethodContext ctx) {
        Clip m = ctx.model();
        if (installed.isEmpty()) install(m, ctx.update(), ctx.seed());
        m.freeze("*");
        int n = m.unfreeze("re:.*_parametrization\\..*");
        if (n == 0) throw new IllegalStateException("rkr: no rectifier parameters to train");
    }

    @Override
    public void restoreModel(Clip model, UpdateOption update, long seed) {
        if (installed.isEmpty()) install(model, update, seed);
    }

    /** The parametrized weights, in install order. */
    public List<String> installed() { return List.copyOf(installed); }

    private void install(Clip m, UpdateOption update, long seed) {
        Rng rng = new Rng(seed ^ 0x524B52L);
        Map<String, Var> params = m.namedParameters();
        for (Map.Entry<String, Var> e : params.entrySet()) {
            String n = e.getKey();
            if (!inTower(n, update) || !n.contains(".resblocks.")) continue;
            Var w = e.getValue();
            if (lowRank) {
                if (n.endsWith("in_proj_weight") || (n.endsWith(".weight") && w.rank() == 2)) {
                    m.parametrize(n, new LowRankRectifier(w.dim(0), w.dim(1), rank, w.dtype(), w.data().device(), rng));
                    installed.add(n);
                }
            } else if (n.endsWith(".attn.out_proj.weight") || n.endsWith(".mlp.c_proj.weight")) {
                OutputScale s = m.parametrize(n, new OutputScale(w.dim(0), w.dtype(), w.data().device()));
                installed.add(n);
                String bias = n.substring(0, n.length() - "weight".length()) + "bias";
                if (params.containsKey(bias)) {
                    m.parametrize(bias, s.forBias());
                    installed.add(bias);
                }
            }
        }
        if (installed.isEmpty()) throw new IllegalStateException("rkr: no residual blocks found for update option " + update.id());
    }

    private static boolean inTower(String name, UpdateOption u) {
        boolean visual = name.startsWith("visual.");
        return switch (u) {
            case WM -> true;
            case IO -> visual;
            case TO -> !visual;
        };
    }
}

package clipcl.peers;

import clipcl.autograd.Var;
import clipcl.autograd.nn.Init;
import clipcl.clip.bench.BlockBench;
import clipcl.clip.model.MultiheadAttention;
import clipcl.clip.model.ResidualAttentionBlock;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.TensorArrayRefOptional;
import org.bytedeco.pytorch.BoolOptional;

/**
 * One CLIP residual block (`clipcl bench block`'s, default ViT-B/32's: width 768, 12 heads, seq
 * 50, batch 8), ours against the same block in libtorch with our parameter values copied in:
 * forward alone (no graph on either side) or forward + backward of y with a fixed upstream
 * gradient down to the parameters and the input, gradients cleared each iteration (ours by
 * {@link BlockBench#iteration}, libtorch's set to undefined as peer_block.py's set_to_none).
 *
 * <p>Before any timing both run once on the same input: the outputs (and with backward the input
 * and every parameter gradient) must agree within {@link #TOL} of each tensor's largest magnitude,
 * or the run stops.
 */
final class BlockPeer {
    /** Float32 agreement asked of the outputs and gradients, relative to each tensor's largest |value|. */
    static final double TOL = 1e-4;

    private BlockPeer() { }

    static void run(Map<String, String> o) {
        if (!"libtorch".equals(o.getOrDefault("peer", "libtorch"))) {
            throw new IllegalArgumentException("--peer " + o.get("peer") + ": block's peer is libtorch");
        }
        PeerMain.only(o, "block", "peer", "width", "heads", "seq", "batch", "threads", "rounds", "seconds", "backward", "causal");
        int width = integer(o, "width", 768), heads = integer(o, "heads", 12), seq = integer(o, "seq", 50), batch = integer(o, "batch", 8);
        int threads = integer(o, "threads", 2), rounds = integer(o, "rounds", 3);
        boolean backward = flag(o, "backward"), causal = flag(o, "causal");
        double seconds = Double.parseDouble(o.getOrDefault("seconds", "6"));
        if (width <= 0 || heads <= 0 || seq <= 0 || batch <= 0 || threads <= 0) throw new IllegalArgumentException("block: sizes and threads must be positive");
        if (width % heads != 0) throw new IllegalArgumentException("block: --width " + width + " is not divisible by --heads " + heads);
        System.setProperty("clipcl.threads", Integer.toString(threads));
        LibtorchSgemm.setThreads(threads);

        // Ours exactly as BlockBench builds it: the same seeds, so the same weights and inputs.
        ResidualAttentionBlock block = new ResidualAttentionBlock(width, heads, Init.f32(1));
        Rng rng = new Rng(2);
        Tensor x = Scope.detach(rng.uniform(DType.F32, -1, 1, batch, seq, width));           // [B, S, W]
        Tensor dy = Scope.detach(rng.uniform(DType.F32, -1, 1, batch, seq, width));
        Tensor mask = causal ? Scope.detach(MultiheadAttention.causalMask(seq, DType.F32)) : null;

        Map<String, org.bytedeco.pytorch.Tensor> params = new HashMap<>();
        block.namedParameters().forEach((n, v) -> params.put(n, Torch.parameter(v.data())));
        org.bytedeco.pytorch.Tensor tx = Torch.copy(x), tdy = Torch.copy(dy), tmask = causal ? Torch.copy(mask) : null;
        tx.set_requires_grad(backward);

        String check = check(block, params, x, dy, mask, tx, tdy, tmask, heads, backward);
        Runnable ours = () -> BlockBench.iteration(block, x, dy, mask, backward);
        Runnable peer = backward ? () -> {
            try (PointerScope s = new PointerScope()) {
                org.bytedeco.pytorch.Tensor y = Torch.block(params::get, "", tx, heads, tmask);
                y.backward(tdy, new BoolOptional(), false, new TensorArrayRefOptional());
                for (org.bytedeco.pytorch.Tensor p : params.values()) p.mutable_grad().reset();
                tx.mutable_grad().reset();
            }
        } : () -> {
            try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                Torch.block(params::get, "", tx, heads, tmask);
            }
        };
        Alternate.Times t = Alternate.run(ours, peer, seconds, rounds);
        System.out.println("<!-- " + new LibtorchSgemm().name() + "; " + check + " -->");
        System.out.println("| block | pass | threads | ours ms | libtorch ms | ours/libtorch | max abs diff (scale) |");
        System.out.println("|---|---|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| w%d h%d s%d b%d%s | %s | %d | %.2f | %.2f | %.2f | %s |%n", width, heads, seq, batch, causal ? " causal" : "",
                backward ? "forward+backward" : "forward", threads, t.oursMs(), t.peerMs(), t.ratio(), check.replace("; ", ", "));
    }

    /**
     * Both sides once on the same input (gradients cleared after); the comparisons as "what diff
     * (scale)", or an IllegalStateException naming the first tensor that differs beyond {@link #TOL}.
     */
    static String check(ResidualAttentionBlock block, Map<String, org.bytedeco.pytorch.Tensor> params, Tensor x, Tensor dy, Tensor mask,
                                org.bytedeco.pytorch.Tensor tx, org.bytedeco.pytorch.Tensor tdy, org.bytedeco.pytorch.Tensor tmask,
                                int heads, boolean backward) {
        StringBuilder out = new StringBuilder();
        try (Scope s = Scope.open(); PointerScope ps = new PointerScope()) {
            Var xv = new Var(x, backward);
            Var y = block.forward(xv, mask);
            org.bytedeco.pytorch.Tensor ty = Torch.block(params::get, "", tx, heads, tmask);
            out.append("y ").append(Torch.compare("block output y", y.data().toFloatArray(), Torch.values(ty), TOL));
            if (backward) {
                y.backward(dy);
                ty.backward(tdy, new BoolOptional(), false, new TensorArrayRefOptional());
                out.append("; dx ").append(Torch.compare("input gradient dx", xv.grad().toFloatArray(), Torch.values(tx.grad()), TOL));
                Torch.Diff worst = null;
                String worstName = null;
                for (Map.Entry<String, Var> e : block.namedParameters().entrySet()) {
                    Torch.Diff d = Torch.compare("gradient of " + e.getKey(), e.getValue().grad().toFloatArray(),
                            Torch.values(params.get(e.getKey()).grad()), TOL);
                    if (worst == null || d.relative() > worst.relative()) { worst = d; worstName = e.getKey(); }
                }
                out.append("; worst parameter gradient (").append(worstName).append(") ").append(worst);
                block.zeroGrad();
                for (org.bytedeco.pytorch.Tensor p : params.values()) p.mutable_grad().reset();
                tx.mutable_grad().reset();
            }
        }
        return out.toString();
    }

    static boolean flag(Map<String, String> o, String name) {
        String v = o.get(name);
        return v != null && !v.equals("false");
    }

    static int integer(Map<String, String> o, String k, int def) {
        String v = o.get(k);
        if (v == null) return def;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + k + " must be an integer, got '" + v + "'");
        }
    }
}

package clipcl.clip.model;

import clipcl.autograd.Var;
import clipcl.autograd.nn.Activation;
import clipcl.autograd.nn.Init;
import clipcl.autograd.nn.Module;
import clipcl.autograd.nn.ModuleList;
import clipcl.tensor.Tensor;

/** OpenAI CLIP's Transformer: {@code resblocks.0 .. resblocks.(layers-1)}, each a {@link ResidualAttentionBlock}. */
public final class Transformer extends Module {
    private final int width, layers, heads;

    public Transformer(int width, int layers, int heads, int mlpHidden, Activation act, Init init) {
        this.width = width;
        this.layers = layers;
        this.heads = heads;
        ModuleList<ResidualAttentionBlock> blocks = new ModuleList<>();
        for (int i = 0; i < layers; i++) blocks.add(new ResidualAttentionBlock(width, heads, mlpHidden, act, init));
        registerModule("resblocks", blocks);
    }

    /** CLIP's transformer: hidden = 4 * width, QuickGELU. */
    public Transformer(int width, int layers, int heads, Init init) { this(width, layers, heads, 4 * width, Activation.QUICK_GELU, init); }

    public int width() { return width; }

    public int layers() { return layers; }

    public int heads() { return heads; }

    public ResidualAttentionBlock block(int i) { return this.<ModuleList<ResidualAttentionBlock>>child("resblocks").get(i); }

    /** x [B, L, width], additive mask [L, L] or null -> [B, L, width]. */
    public Var forward(Var x, Tensor mask) {
        for (int i = 0; i < layers; i++) x = block(i).forward(x, mask);
        return x;
    }
}

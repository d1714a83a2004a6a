package clipcl.clip.model;

import clipcl.autograd.F;
import clipcl.autograd.Var;
import clipcl.autograd.nn.Init;
import clipcl.autograd.nn.Module;

/** The ViT's conv1: a bias-free conv2d with stride = kernel = patch size, weight [width, 3, P, P]. */
public final class PatchEmbedding extends Module {
    public PatchEmbedding(int channels, int width, int patch, Init init) {
        registerParameter("weight", init.linearDefault(channels * patch * patch, width, channels, patch, patch));
    }

    public Var weight() { return param("weight"); }

    /** x [B, C, H, W] -> [B, width, H/P, W/P]. */
    public Var forward(Var x) { return F.patchConv2d(x, weight(), null); }
}

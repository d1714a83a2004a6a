package clipcl.clip.model;

import clipcl.autograd.F;
import clipcl.autograd.Var;
import clipcl.autograd.nn.BatchNorm2d;
import clipcl.autograd.nn.Conv2d;
import clipcl.autograd.nn.Init;
import clipcl.autograd.nn.Layer;
import clipcl.autograd.nn.Module;

/**
 * OpenAI's ResNet Bottleneck (expansion 4): 1x1, 3x3 and 1x1 convolutions with batch norms, every
 * convolution at stride 1 and, when the block downsamples, an average pool after the 3x3 one
 * (anti-aliased striding). The shortcut is the identity, or avg-pool, 1x1 convolution and batch
 * norm ({@code downsample.0}, {@code downsample.1}) when the stride or width changes.
 */
public final class Bottleneck extends Module implements Layer {
    public static final int EXPANSION = 4;
    private final int stride;
    private final boolean downsample;

    public Bottleneck(int inplanes, int planes, int stride, Init init) {
        this.stride = stride;
        registerModule("conv1", new Conv2d(inplanes, planes, 1, 1, 0, false, init));
        registerModule("bn1", new BatchNorm2d(planes, init));
        registerModule("conv2", new Conv2d(planes, planes, 3, 1, 1, false, init));
        registerModule("bn2", new BatchNorm2d(planes, init));
        registerModule("conv3", new Conv2d(planes, planes * EXPANSION, 1, 1, 0, false, init));
        registerModule("bn3", new BatchNorm2d(planes * EXPANSION, init));
        downsample = stride > 1 || inplanes != planes * EXPANSION;
        if (downsample) registerModule("downsample", new Shortcut(inplanes, planes * EXPANSION, stride, init));
    }

    /** x [B, inplanes, H, W] -> [B, 4 planes, H / stride, W / stride]. */
    @Override
    public Var forward(Var x) {
        Var out = layer("bn1").forward(layer("conv1").forward(x)).relu();
        out = layer("bn2").forward(layer("conv2").forward(out)).relu();
        if (stride > 1) out = F.avgPool2d(out, stride, stride);
        out = layer("bn3").forward(layer("conv3").forward(out));
        Var identity = downsample ? layer("downsample").forward(x) : x;
        return out.add(identity).relu();
    }

    private Layer layer(String name) { return (Layer) this.<Module>child(name); }

    /** The projection shortcut: nn.Sequential("-1": AvgPool2d(stride), "0": 1x1 conv, "1": BatchNorm2d). */
    static final class Shortcut extends Module implements Layer {
        private final int stride;

        Shortcut(int in, int out, int stride, Init init) {
            this.stride = stride;
            registerModule("0", new Conv2d(in, out, 1, 1, 0, false, init));
            registerModule("1", new BatchNorm2d(out, init));
        }

        @Override
        public Var forward(Var x) {
            Var y = stride > 1 ? F.avgPool2d(x, stride, stride) : x;
            return this.<BatchNorm2d>child("1").forward(this.<Conv2d>child("0").forward(y));
        }
    }
}

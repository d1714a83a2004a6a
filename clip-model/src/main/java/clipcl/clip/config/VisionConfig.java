package clipcl.clip.config;

import java.util.List;

/**
 * The image tower, with open_clip's field names: a ViT, or OpenAI's ModifiedResNet when
 * {@code resnetLayers} (open_clip's {@code vision_cfg.layers} given as a list) is not null.
 * ViT: heads = width / headWidth. ResNet: width is the stem's output width, the blocks of the four
 * stages are resnetLayers, the attention pool has width * 32 channels and width * 32 / headWidth
 * heads, and patchSize is the tower's total downsampling (32), so {@link #grid()} is the side of
 * the final feature map and {@link #tokens()} the attention pool's positions.
 *
 * @param imageSize    input resolution (square)
 * @param layers       residual attention blocks (ResNet: the total of Bottleneck blocks)
 * @param width        transformer width (ResNet: stem width, 64 for RN50)
 * @param patchSize    side of the square patches of the conv1 patch embedding (ResNet: 32)
 * @param headWidth    width of one attention head (64 for every OpenAI model)
 * @param resnetLayers Bottleneck blocks of the four ResNet stages, or null for a ViT
 */
public record VisionConfig(int imageSize, int layers, int width, int patchSize, int headWidth, List<Integer> resnetLayers) {
    /** The ResNet's total downsampling: stem stride 2, stem pool 2, and three strided stages. */
    public static final int RESNET_REDUCTION = 32;

    public VisionConfig {
        if (resnetLayers != null) {
            resnetLayers = List.copyOf(resnetLayers);
            if (resnetLayers.size() != 4) throw new IllegalArgumentException("vision_cfg: layers must list the blocks of 4 ResNet stages, got " + resnetLayers);
            for (int n : resnetLayers) if (n < 1) throw new IllegalArgumentException("vision_cfg: every ResNet stage needs at least one block, got " + resnetLayers);
            if (patchSize != RESNET_REDUCTION) throw new IllegalArgumentException("vision_cfg: a ResNet tower downsamples by " + RESNET_REDUCTION + ", got patch size " + patchSize);
        }
        if (imageSize <= 0 || layers < 0 || width <= 0 || patchSize <= 0 || headWidth <= 0) {
            throw new IllegalArgumentException("vision_cfg: sizes must be positive: " + this);
        }
        int attnWidth = resnetLayers == null ? width : width * RESNET_REDUCTION;
        if (attnWidth % headWidth != 0) throw new IllegalArgumentException("vision_cfg: width " + attnWidth + " is not a multiple of head_width " + headWidth);
        if (imageSize < patchSize) throw new IllegalArgumentException("vision_cfg: image_size " + imageSize + " smaller than patch_size " + patchSize);
    }

    /** A ViT tower. */
    public VisionConfig(int imageSize, int layers, int width, int patchSize, int headWidth) {
        this(imageSize, layers, width, patchSize, headWidth, null);
    }

    /** OpenAI's ModifiedResNet with the given blocks per stage (open_clip's list-valued layers). */
    public static VisionConfig resnet(int imageSize, List<Integer> layers, int width, int headWidth) {
        int total = 0;
        for (int n : layers) total += n;
        return new VisionConfig(imageSize, total, width, RESNET_REDUCTION, headWidth, layers);
    }

    public boolean isResNet() { return resnetLayers != null; }

    /** Attention heads: of the transformer (ViT), or of the attention pool (ResNet). */
    public int heads() { return isResNet() ? width * RESNET_REDUCTION / headWidth : width / headWidth; }

    /** Patches per side (ResNet: the final feature map's side). */
    public int grid() { return imageSize / patchSize; }

    /** Tokens of the image transformer: the patches plus the class token (ResNet: the pooled mean plus the pixels). */
    public int tokens() { return grid() * grid() + 1; }
}

package clipcl.clip.config;

/**
 * The image tower, with open_clip's field names. heads = width / headWidth.
 *
 * @param imageSize input resolution (square)
 * @param layers    residual attention blocks
 * @param width     transformer width
 * @param patchSize side of the square patches of the conv1 patch embedding
 * @param headWidth width of one attention head (64 for every OpenAI model)
 */
public record VisionConfig(int imageSize, int layers, int width, int patchSize, int headWidth) {
    public VisionConfig {
        if (imageSize <= 0 || layers < 0 || width <= 0 || patchSize <= 0 || headWidth <= 0) {
            throw new IllegalArgumentException("vision_cfg: sizes must be positive: " + this);
        }
        if (width % headWidth != 0) throw new IllegalArgumentException("vision_cfg: width " + width + " is not a multiple of head_width " + headWidth);
        if (imageSize < patchSize) throw new IllegalArgumentException("vision_cfg: image_size " + imageSize + " smaller than patch_size " + patchSize);
    }

    public int heads() { return width / headWidth; }

    /** Patches per side. */
    public int grid() { return imageSize / patchSize; }

    /** Tokens of the image transformer: the patches plus the class token. */
    public int tokens() { return grid() * grid() + 1; }
}

package clipcl.clip.config;

import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** OpenAI's build_model for weights with a ModifiedResNet image tower ({@code visual.layer1...}). */
final class ResNetInference {
    private ResNetInference() { }

    static ClipConfig infer(Map<String, Tensor> sd) {
        List<Integer> stages = new ArrayList<>();
        for (int s = 1; s <= 4; s++) {
            int n = ModelConfigs.countBlocks(sd, "visual.layer" + s + ".");
            if (n == 0) throw new IllegalArgumentException("cannot infer the model config: the weights have visual.layer1 but no 'visual.layer" + s + ".*' blocks");
            stages.add(n);
        }
        int width = ModelConfigs.need(sd, "visual.layer1.0.conv1.weight").dim(0);
        int positions = ModelConfigs.need(sd, "visual.attnpool.positional_embedding").dim(0);
        int grid = (int) Math.round(Math.sqrt(positions - 1));
        if (grid * grid + 1 != positions) throw new IllegalArgumentException("visual.attnpool.positional_embedding has " + positions + " rows: not a square grid plus the pooled token");
        int embedDim = ModelConfigs.need(sd, "text_projection").dim(1);
        int context = ModelConfigs.need(sd, "positional_embedding").dim(0);
        int vocab = ModelConfigs.need(sd, "token_embedding.weight").dim(0);
        int textWidth = ModelConfigs.need(sd, "ln_final.weight").dim(0);
        int textLayers = ModelConfigs.countBlocks(sd, "transformer.resblocks.");
        if (textWidth % 64 != 0 || width * 32 % 64 != 0) {
            throw new IllegalArgumentException("cannot infer the number of attention heads: widths " + width * 32 + " (attention pool) and " + textWidth
                    + " (text) are not multiples of OpenAI's head width 64; pass the model config (--model-config FILE.json)");
        }
        return new ClipConfig(embedDim, true, VisionConfig.resnet(grid * VisionConfig.RESNET_REDUCTION, stages, width, 64),
                new TextConfig(context, vocab, textWidth, textWidth / 64, textLayers));
    }
}

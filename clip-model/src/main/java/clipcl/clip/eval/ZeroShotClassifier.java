package clipcl.clip.eval;

import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * CLIP's zero-shot classifier: one text embedding per class, the mean of the L2-normalised
 * embeddings of its prompts (one per template), renormalised. Images are classified by cosine
 * similarity to these, i.e. softmax_c(tau * <f(x), t_c>).
 */
public final class ZeroShotClassifier {
    /** [C, E], rows unit length. */
    private final Tensor weights;
    private final List<String> classNames;

    private ZeroShotClassifier(Tensor weights, List<String> classNames) {
        this.weights = weights;
        this.classNames = List.copyOf(classNames);
    }

    /**
     * @param encodeText texts -> unnormalised text features [n, E]
     * @param templates  prompts with "{}" where the class name goes, e.g. "a photo of a {}."
     */
    public static ZeroShotClassifier build(Function<List<String>, Tensor> encodeText, List<String> classNames, List<String> templates) {
        if (classNames.isEmpty()) throw new IllegalArgumentException("zero-shot: no class names");
        if (templates.isEmpty()) throw new IllegalArgumentException("zero-shot: no prompt templates");
        for (String t : templates) {
            if (!t.contains("{}")) throw new IllegalArgumentException("zero-shot: template '" + t + "' has no {} for the class name");
        }
        List<String> prompts = new ArrayList<>();
        for (String c : classNames) for (String t : templates) prompts.add(t.replace("{}", c));
        Tensor feats = encodeText.apply(prompts);                       // [C*T, E]
        int e = feats.dim(-1);
        Tensor unit = feats.l2Normalize(-1, 1e-12).reshape(classNames.size(), templates.size(), e);
        Tensor mean = unit.mean(1, false);                              // [C, E]
        return new ZeroShotClassifier(mean.l2Normalize(-1, 1e-12), classNames);
    }

    /** [C, E] unit rows. */
    public Tensor weights() { return weights; }

    public List<String> classNames() { return classNames; }

    /** Cosine similarities [N, C] of image features [N, E] (normalised here) with the classes. */
    public Tensor similarities(Tensor imageFeatures) {
        return imageFeatures.l2Normalize(-1, 1e-12).matmul(weights.mT());
    }

    /** Predicted class per image. */
    public int[] predict(Tensor imageFeatures) {
        return similarities(imageFeatures).argmax(-1, false).toIntArray();
    }

    /** Fraction of images whose true class is among the k most similar. */
    public double topK(Tensor imageFeatures, int[] labels, int k) {
        return Ranking.topKAccuracy(similarities(imageFeatures), labels, k);
    }
}

package clipcl.clip.demo;

import clipcl.clip.data.FashionMnist;
import clipcl.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Image-caption pairs made from Fashion-MNIST: each image is captioned by one of several templates
 * around its class name, drawn at random per step, so the text tower sees varied phrasing and the
 * evaluation prompt is one phrasing among many rather than the only one.
 */
public final class FashionCaptions {
    /** Templates used for training captions; "{}" is the class name. */
    public static final List<String> TEMPLATES = List.of(
            "a photo of a {}.", "a {}.", "a picture of a {}.", "an image of a {}.", "a photo of the {}.",
            "a small {}.", "a grayscale photo of a {}.", "this is a {}.", "a {} on a black background.",
            "a low resolution photo of a {}.", "a centered photo of a {}.", "a product photo of a {}.");

    /** The evaluation prompt: "a photo of a {class}.". */
    public static final String EVAL_TEMPLATE = "a photo of a {}.";

    /** Mean and standard deviation of Fashion-MNIST's training pixels (scaled to [0,1]). */
    public static final float MEAN = 0.2860f, STD = 0.3530f;

    private FashionCaptions() { }

    /** Every text the demo can produce, to build the tokenizer's vocabulary. */
    public static List<String> corpus() {
        List<String> out = new ArrayList<>();
        for (String c : FashionMnist.CLASSES) for (String t : TEMPLATES) out.add(t.replace("{}", c));
        return out;
    }

    public static String caption(int label, Rng rng) {
        return TEMPLATES.get(rng.nextInt(TEMPLATES.size())).replace("{}", FashionMnist.CLASSES.get(label));
    }
}

package clipcl.continual.data;

import clipcl.clip.demo.FashionCaptions;
import clipcl.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Captions for a labelled set: training captions draw one of several templates around the class
 * name (so a batch holds varied phrasing), evaluation uses one fixed prompt. With image words the
 * class name in a caption is preceded by words that describe the image itself ("a photo of a big
 * dark upright narrow digit seven."), so captions vary per image; prompts stay the class's.
 *
 * @param templates    training templates, "{}" = class name
 * @param evalTemplate the zero-shot prompt
 * @param words        the words that describe each image in its captions, or null: class captions
 */
public record CaptionTemplates(List<String> templates, String evalTemplate, ImageWords words) {
    /** Class captions. */
    public CaptionTemplates(List<String> templates, String evalTemplate) { this(templates, evalTemplate, null); }

    /** These templates with image words before the class name. */
    public CaptionTemplates withWords(ImageWords w) { return new CaptionTemplates(templates, evalTemplate, w); }

    public CaptionTemplates {
        templates = List.copyOf(templates);
        if (templates.isEmpty()) throw new IllegalArgumentException("caption templates: none given");
        for (String t : templates) if (!t.contains("{}")) throw new IllegalArgumentException("caption template '" + t + "' has no {} for the class name");
        if (!evalTemplate.contains("{}")) throw new IllegalArgumentException("evaluation template '" + evalTemplate + "' has no {} for the class name");
    }

    /** Fashion-MNIST's: the demo's templates and its prompt "a photo of a {}.". */
    public static CaptionTemplates fashion() { return new CaptionTemplates(FashionCaptions.TEMPLATES, FashionCaptions.EVAL_TEMPLATE); }

    /** The digits': the same templates around "digit seven" etc., prompt "a photo of the digit seven.". */
    public static CaptionTemplates digits() { return new CaptionTemplates(FashionCaptions.TEMPLATES, "a photo of the {}."); }

    public String caption(String className, Rng rng) { return templates.get(rng.nextInt(templates.size())).replace("{}", className); }

    /**
     * A training caption of item of set: a template drawn with rng (one draw, as for a class caption)
     * around its class name, with the image's words before it when these templates have them.
     */
    public String caption(LabeledImages set, int item, Rng rng) {
        String name = set.classNames().get(set.labels()[item]);
        return caption(words == null ? name : words.describe(set, item) + " " + name, rng);
    }

    public String prompt(String className) { return evalTemplate.replace("{}", className); }

    /**
     * The zero-shot prompts a class's text feature is the mean of (CLIP's prompt ensembling): the
     * evaluation template; with image words, the template with every description before the class
     * name (81: "a photo of a little pale leftward narrow {}.", ...), so the prompts speak as the
     * training captions do.
     */
    public List<String> evalTemplates() {
        if (words == null) return List.of(evalTemplate);
        List<String> out = new ArrayList<>();
        for (String d : ImageWords.descriptions()) out.add(evalTemplate.replace("{}", d + " {}"));
        return out;
    }

    /**
     * Every caption and prompt these templates make for the classes (to build a vocabulary); with
     * image words, also each template's caption with a full description (the longest form) and the
     * words themselves.
     */
    public List<String> corpus(List<String> classNames) {
        List<String> out = new ArrayList<>();
        for (String c : classNames) {
            for (String t : templates) out.add(t.replace("{}", c));
            out.add(prompt(c));
        }
        if (words != null) {
            String longest = String.join(" ", ImageWords.WORDS.stream().map(w -> w.get(0)).toList());
            for (String c : classNames) for (String t : templates) out.add(t.replace("{}", longest + " " + c));
            out.add(String.join(" ", ImageWords.vocabulary()));
        }
        return out;
    }
}

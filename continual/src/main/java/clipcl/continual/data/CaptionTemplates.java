package clipcl.continual.data;

import clipcl.clip.demo.FashionCaptions;
import clipcl.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Captions for a labelled set: training captions draw one of several templates around the class
 * name (so a batch holds varied phrasing), evaluation uses one fixed prompt.
 *
 * @param templates    training templates, "{}" = class name
 * @param evalTemplate the zero-shot prompt
 */
public record CaptionTemplates(List<String> templates, String evalTemplate) {
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

    public String prompt(String className) { return evalTemplate.replace("{}", className); }

    /** Every caption and prompt these templates make for the classes (to build a vocabulary). */
    public List<String> corpus(List<String> classNames) {
        List<String> out = new ArrayList<>();
        for (String c : classNames) {
            for (String t : templates) out.add(t.replace("{}", c));
            out.add(prompt(c));
        }
        return out;
    }
}

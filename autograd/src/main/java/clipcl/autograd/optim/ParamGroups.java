package clipcl.autograd.optim;

import clipcl.autograd.Var;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Splits named parameters into a decayed and an undecayed group, as open_clip's training script
 * does: gains, biases, norms and {@code logit_scale} get no weight decay. Parameters that do not
 * require a gradient (frozen) are left out of both groups.
 */
public final class ParamGroups {
    private ParamGroups() { }

    /**
     * open_clip's rule: rank < 2, or the name contains "bn", "ln", "bias" or "logit_scale". With
     * {@code embeddings}, names containing "embedding" (token and positional embeddings) are excluded
     * too; open_clip itself decays the 2-D token embedding.
     */
    public static BiPredicate<String, Var> openClipNoDecay(boolean embeddings) {
        return (n, p) -> p.data().rank() < 2 || n.contains("bn") || n.contains("ln") || n.contains("bias")
                || n.contains("logit_scale") || (embeddings && n.contains("embedding"));
    }

    /** One group of every trainable parameter with the given weight decay. */
    public static List<ParamGroup> single(Map<String, Var> named, double weightDecay) {
        return List.of(new ParamGroup("all", trainable(named), weightDecay));
    }

    /** Groups "no_decay" (weight decay 0) and "decay" (weightDecay), empty groups dropped. */
    public static List<ParamGroup> decayAndNoDecay(Map<String, Var> named, double weightDecay, BiPredicate<String, Var> noDecay) {
        Map<String, Var> skip = new LinkedHashMap<>(), decay = new LinkedHashMap<>();
        for (Map.Entry<String, Var> e : trainable(named).entrySet()) {
            (noDecay.test(e.getKey(), e.getValue()) ? skip : decay).put(e.getKey(), e.getValue());
        }
        List<ParamGroup> out = new ArrayList<>();
        if (!skip.isEmpty()) out.add(new ParamGroup("no_decay", skip, 0.0));
        if (!decay.isEmpty()) out.add(new ParamGroup("decay", decay, weightDecay));
        return out;
    }

    /** The open_clip split with its default rule (embeddings decayed). */
    public static List<ParamGroup> openClip(Map<String, Var> named, double weightDecay) {
        return decayAndNoDecay(named, weightDecay, openClipNoDecay(false));
    }

    static Map<String, Var> trainable(Map<String, Var> named) {
        Map<String, Var> out = new LinkedHashMap<>();
        named.forEach((n, p) -> { if (p.requiresGrad()) out.put(n, p); });
        return out;
    }
}

package clipcl.continual.protocol;

import clipcl.clip.model.Clip;
import java.util.Map;

/**
 * A measurement taken after every session beside the evaluator's (representation analyses): its
 * values join the session's metrics, so they land in metrics.json, the seed means and report.md.
 * It must be deterministic in the model, so a resumed run measures the same.
 */
@FunctionalInterface
public interface SessionProbe {
    Map<String, Double> measure(Clip model);
}

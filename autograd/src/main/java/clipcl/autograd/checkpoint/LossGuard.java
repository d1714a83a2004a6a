package clipcl.autograd.checkpoint;

import java.nio.file.Path;
import java.util.Map;

/**
 * Stops a run at a non-finite loss before the optimizer applies it: an update from a NaN or infinite
 * loss would poison the weights, and the next save would overwrite the last good checkpoint with them.
 */
public final class LossGuard {
    private LossGuard() { }

    /**
     * @param step       the step whose loss this is (1-based, as the checkpoint counts)
     * @param terms      the loss's terms by name, in the order to report them
     * @param checkpoint the folder of the last checkpoint, named in the message (null: none named)
     * @throws IllegalStateException naming the step, every term and the checkpoint, when any term is NaN or infinite
     */
    public static void check(long step, Map<String, Double> terms, Path checkpoint) {
        boolean finite = terms.values().stream().allMatch(Double::isFinite);
        if (finite) return;
        StringBuilder b = new StringBuilder("step " + step + ": the loss is not finite (");
        terms.forEach((name, v) -> b.append(name).append(' ').append(v).append(Double.isFinite(v) ? "" : " <-").append(", "));
        b.setLength(b.length() - 2);
        b.append("); stopped before updating the weights");
        if (checkpoint != null) b.append(", the last checkpoint in ").append(checkpoint).append(" is intact");
        throw new IllegalStateException(b.toString());
    }
}

package clipcl.autograd.checkpoint;

import clipcl.autograd.optim.Schedule;
import clipcl.tensor.Rng;
import java.util.Map;

/**
 * The training-loop state saved beside the weights: the number of steps taken, the random
 * generators by name (each is seed + counter), the learning-rate schedule (may be null) and free
 * JSON-compatible extras (task index, epoch, metrics so far).
 */
public record TrainState(long step, Map<String, Rng> rngs, Schedule schedule, Map<String, Object> extra) {
    public TrainState {
        rngs = rngs == null ? Map.of() : Map.copyOf(rngs);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
        if (step < 0) throw new IllegalArgumentException("train state: negative step " + step);
    }

    public TrainState(long step, Rng rng, Schedule schedule) { this(step, Map.of("main", rng), schedule, Map.of()); }

    /** The generator saved as "main". */
    public Rng rng() {
        Rng r = rngs.get("main");
        if (r == null) throw new IllegalStateException("train state has no 'main' generator; it has " + rngs.keySet());
        return r;
    }
}

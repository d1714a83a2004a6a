package clipcl.continual.data;

/**
 * One training session of a plan: the classes it introduces (its "task", which fixes a column of the
 * accuracy matrix) and the training items it may use.
 *
 * @param index   0-based position in the plan
 * @param name    e.g. "digits 0,1" or "phase 3"
 * @param classes the session's classes (sorted); for a random phase every class of the data
 * @param items   training items of this session (indices into the training set)
 */
public record Session(int index, String name, int[] classes, int[] items) {
    public Session {
        classes = classes.clone();
        items = items.clone();
        if (items.length == 0) throw new IllegalArgumentException("session " + index + " (" + name + ") has no training items");
    }
}

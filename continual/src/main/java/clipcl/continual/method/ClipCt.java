package clipcl.continual.method;

/**
 * CLIP_ct (paper B): plain continual contrastive training, phase after phase, nothing kept from the
 * past. The same loop as {@link FineTune}; its own name so paper B's tables read as the paper's.
 */
public final class ClipCt implements Method {
    @Override
    public String name() { return "clip-ct"; }
}

package clipcl.continual.train;

import clipcl.autograd.Var;
import clipcl.clip.model.Clip;

/**
 * What the model being trained produces for a batch, computed on first use so a term that needs
 * only image features does not pay for the captions: unnormalised image features [B, E], caption
 * features [B, E], and the scale exp(logit_scale) (a scalar Var). The model itself is there for
 * terms that encode further texts (class prompts, random-token pseudo-classes) with gradients.
 */
public final class StudentOutputs {
    private final Clip model;
    private final Batch batch;
    /** Set for a view of another batch's first rows ({@link #head}): features are that batch's, narrowed. */
    private final StudentOutputs whole;
    private Var image, text, scale;

    public StudentOutputs(Clip model, Batch batch) {
        this(model, batch, null);
    }

    private StudentOutputs(Clip model, Batch batch, StudentOutputs whole) {
        this.model = model;
        this.batch = batch;
        this.whole = whole;
    }

    /**
     * The outputs of the first rows of this batch ({@link Batch#head}), sharing this one's forward
     * passes: a term over the new items only reuses the features other terms computed for all rows.
     */
    public StudentOutputs head(Batch head) { return new StudentOutputs(model, head, this); }

    public Clip model() { return model; }

    /** [B, E] */
    public Var imageFeatures() {
        if (image == null) image = whole != null ? whole.imageFeatures().narrow(0, 0, batch.size()) : model.encodeImage(Var.constant(batch.images()));
        return image;
    }

    /** [B, E] */
    public Var textFeatures() {
        if (text == null) text = whole != null ? whole.textFeatures().narrow(0, 0, batch.size()) : model.encodeText(batch.ids());
        return text;
    }

    /** exp(logit_scale), scalar */
    public Var scale() {
        if (scale == null) scale = whole != null ? whole.scale() : model.logitScale().exp();
        return scale;
    }
}

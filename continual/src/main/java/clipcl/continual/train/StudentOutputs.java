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
    private Var image, text, scale;

    public StudentOutputs(Clip model, Batch batch) {
        this.model = model;
        this.batch = batch;
    }

    public Clip model() { return model; }

    /** [B, E] */
    public Var imageFeatures() {
        if (image == null) image = model.encodeImage(Var.constant(batch.images()));
        return image;
    }

    /** [B, E] */
    public Var textFeatures() {
        if (text == null) text = model.encodeText(batch.ids());
        return text;
    }

    /** exp(logit_scale), scalar */
    public Var scale() {
        if (scale == null) scale = model.logitScale().exp();
        return scale;
    }
}

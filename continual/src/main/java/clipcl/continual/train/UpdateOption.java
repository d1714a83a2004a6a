package clipcl.continual.train;

import clipcl.clip.model.Clip;
import java.util.Locale;

/**
 * Which part of CLIP a session trains (paper A): WM the whole model, IO the image encoder only
 * ({@code visual.*}), TO the text encoder only (token and positional embeddings, the text
 * transformer, ln_final, text_projection). {@code logit_scale} trains with WM only: with one tower
 * frozen, paper A's setting keeps the temperature of the released model.
 */
public enum UpdateOption {
    WM("*"),
    IO("visual.*"),
    TO("re:(token_embedding|positional_embedding|transformer|ln_final|text_projection)(\\..*)?");

    private final String trainable;

    UpdateOption(String trainable) { this.trainable = trainable; }

    /** Freezes every parameter outside this option's part and unfreezes those inside; returns the count trained. */
    public int apply(Clip model) {
        model.freeze("*");
        return model.unfreeze(trainable);
    }

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static UpdateOption parse(String s) {
        for (UpdateOption u : values()) if (u.id().equalsIgnoreCase(s)) return u;
        throw new IllegalArgumentException("update option '" + s + "': expected wm, io or to");
    }
}

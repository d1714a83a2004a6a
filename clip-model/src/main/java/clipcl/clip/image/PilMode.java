package clipcl.clip.image;

/**
 * The Pillow image modes a decoded PNG or JPEG can have. OpenAI's transform resizes and crops in the
 * file's own mode and converts to RGB last, so the mode decides how resampling behaves: palette and
 * bilevel images are resized with nearest neighbour, LA/RGBA with premultiplied alpha, I in floating point.
 */
public enum PilMode {
    /** Bilevel (1-bit PNG); samples stored as 0 or 255, one band. */
    BILEVEL("1", 1),
    /** 8-bit grey. */
    L("L", 1),
    /** 8-bit grey with alpha. */
    LA("LA", 2),
    /** 8-bit palette indices; the palette is in {@link DecodedImage#palette()}. */
    P("P", 1),
    RGB("RGB", 3),
    RGBA("RGBA", 4),
    /** 8-bit CMYK with Pillow's sample convention (JPEG Adobe files are stored inverted and read back). */
    CMYK("CMYK", 4),
    /** 32-bit signed integer grey: how Pillow opens 16-bit grey PNGs. Samples in {@link DecodedImage#wide()}. */
    I("I", 1);

    private final String pillowName;
    private final int bands;

    PilMode(String pillowName, int bands) {
        this.pillowName = pillowName;
        this.bands = bands;
    }

    /** Pillow's name for the mode ("RGB", "P", ...). */
    public String pillowName() { return pillowName; }

    /** Samples per pixel. */
    public int bands() { return bands; }
}

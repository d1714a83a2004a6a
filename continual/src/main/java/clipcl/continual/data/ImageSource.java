package clipcl.continual.data;

import java.io.IOException;

/**
 * Images of a file-backed {@link LabeledImages}, read and preprocessed for the model when a batch needs
 * them (paper A's 597k COCO crops at 224 px would take 90 GB held as floats).
 */
public interface ImageSource {
    /** How many images there are. */
    int count();

    /**
     * Writes the model inputs of items, float32 [items.length, 3, side, side] normalised as the model
     * expects, into out from offset 0. An unreadable file is an error naming it.
     */
    void write(int[] items, int side, float[] out) throws IOException;

    /** Where item i comes from, for error messages (file, box). */
    String describe(int item);
}

package clipcl.clip.weights;

import java.util.Arrays;

/**
 * A tensor as a PyTorch pickle describes it, before its bytes are read: a view (offset, size,
 * stride, in elements) into the storage saved as archive record {@code data/<key>}.
 *
 * @param storageType PyTorch's storage class name, e.g. "HalfStorage"
 * @param storageNumel elements in the whole storage
 */
public record TensorRef(String key, String storageType, long storageNumel, long offset, int[] size, long[] stride) {
    public long numel() {
        long n = 1;
        for (int d : size) n *= d;
        return n;
    }

    /** True when this view is the whole storage in row-major order, so no copy is needed. */
    public boolean coversStorage() {
        if (offset != 0 || numel() != storageNumel) return false;
        long expected = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            if (size[i] != 1 && stride[i] != expected) return false;
            expected *= size[i];
        }
        return true;
    }

    /** The largest element index the view touches, +1 (0 for an empty view). */
    public long extent() {
        if (numel() == 0) return 0;
        long last = offset;
        for (int i = 0; i < size.length; i++) last += (long) (size[i] - 1) * stride[i];
        return last + 1;
    }

    @Override
    public String toString() {
        return storageType + " data/" + key + " offset " + offset + " size " + Arrays.toString(size) + " stride " + Arrays.toString(stride);
    }
}

package clipcl.continual.data;

import java.util.List;

/**
 * A labelled set of images with its class names in label order: either square grayscale images held
 * as unsigned bytes (both embedded data sets, Fashion-MNIST and MNIST digits, are 28x28), or images
 * read from files when needed through {@code source} (user data: COCO object crops, an image folder),
 * too many to hold in memory at paper scale.
 *
 * @param pixels [count][side*side] row-major bytes (0..255); empty (side 0) when source is given
 * @param labels [count] in [0, classNames.size())
 * @param source where the images of a file-backed set come from, or null for the bytes in pixels
 */
public record LabeledImages(String name, byte[] pixels, int[] labels, int count, int side, List<String> classNames, ImageSource source) {
    /** Images held as bytes. */
    public LabeledImages(String name, byte[] pixels, int[] labels, int count, int side, List<String> classNames) {
        this(name, pixels, labels, count, side, classNames, null);
    }

    /** Images read from files by source, one per label. */
    public static LabeledImages fromSource(String name, int[] labels, List<String> classNames, ImageSource source) {
        if (source.count() != labels.length) throw new IllegalArgumentException(name + ": " + labels.length + " labels for " + source.count() + " images");
        return new LabeledImages(name, new byte[0], labels, labels.length, 0, classNames, source);
    }

    public LabeledImages {
        classNames = List.copyOf(classNames);
        if (labels.length != count) throw new IllegalArgumentException(name + ": " + labels.length + " labels for " + count + " images");
        if (pixels.length != (long) count * side * side) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel bytes, expected " + count + " x " + side + " x " + side);
        }
        for (int i = 0; i < count; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of item " + i + " is not one of the " + classNames.size() + " classes");
            }
        }
    }

    public int pixel(int item, int i) { return pixels[item * side * side + i] & 0xff; }

    public int numClasses() { return classNames.size(); }

    /** The items whose label is one of classes, in item order. */
    public int[] itemsOf(int[] classes) {
        boolean[] want = new boolean[numClasses()];
        for (int c : classes) want[c] = true;
        int n = 0;
        for (int i = 0; i < count; i++) if (want[labels[i]]) n++;
        int[] out = new int[n];
        n = 0;
        for (int i = 0; i < count; i++) if (want[labels[i]]) out[n++] = i;
        return out;
    }

    /** The given items of this set, in that order, as a set called name (images held as bytes only). */
    public LabeledImages subset(int[] items, String name) {
        if (source != null) throw new IllegalArgumentException("subset of " + this.name + ": only sets held as bytes");
        int px = side * side;
        byte[] out = new byte[items.length * px];
        int[] lab = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            System.arraycopy(pixels, items[i] * px, out, i * px, px);
            lab[i] = labels[items[i]];
        }
        return new LabeledImages(name, out, lab, items.length, side, classNames);
    }

    /** Every item index, 0 .. count-1. */
    public int[] allItems() {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) out[i] = i;
        return out;
    }

    /**
     * This set followed by other as one set called name: other's items come after this one's (index
     * count + i) and its labels after this one's classes (label numClasses() + l), so this set's item
     * indices and labels are unchanged. Both must be held as bytes with the same image side, or both be
     * read from image files, and have no class name in common.
     */
    public LabeledImages append(LabeledImages other, String name) {
        if (source instanceof ImageRegions a && other.source instanceof ImageRegions b) {   // two sets of files (paper B's D and D0)
            for (String c : other.classNames) if (classNames.contains(c)) throw new IllegalArgumentException("append " + other.name + " to " + this.name + ": class '" + c + "' is in both");
            List<ImageRegions.Region> regions = new java.util.ArrayList<>(a.regions());
            regions.addAll(b.regions());
            List<String> names = new java.util.ArrayList<>(classNames);
            names.addAll(other.classNames);
            int[] lab = java.util.Arrays.copyOf(labels, count + other.count);
            for (int i = 0; i < other.count; i++) lab[count + i] = other.labels[i] + classNames.size();
            return fromSource(name, lab, names, new ImageRegions(regions));
        }
        if (source != null || other.source != null) throw new IllegalArgumentException("append " + other.name + " to " + this.name + ": only sets held as bytes, or two sets of image files, can be joined");
        if (other.side != side) throw new IllegalArgumentException("append " + other.name + " to " + this.name + ": image side " + other.side + " vs " + side);
        for (String c : other.classNames) if (classNames.contains(c)) throw new IllegalArgumentException("append " + other.name + " to " + this.name + ": class '" + c + "' is in both");
        byte[] px = java.util.Arrays.copyOf(pixels, pixels.length + other.pixels.length);
        System.arraycopy(other.pixels, 0, px, pixels.length, other.pixels.length);
        int[] lab = java.util.Arrays.copyOf(labels, count + other.count);
        for (int i = 0; i < other.count; i++) lab[count + i] = other.labels[i] + classNames.size();
        List<String> names = new java.util.ArrayList<>(classNames);
        names.addAll(other.classNames);
        return new LabeledImages(name, px, lab, count + other.count, side, names);
    }
}

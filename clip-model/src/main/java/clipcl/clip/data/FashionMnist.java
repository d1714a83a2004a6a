package clipcl.clip.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao et al. 2017): 28x28 grayscale images of 10 clothing classes, 60,000 for
 * training and 10,000 for testing, as IDX files. Debian's package dataset-fashion-mnist installs
 * them in {@link #DEFAULT_DIR}.
 */
public final class FashionMnist {
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** Class names in label order, as the data set's authors name them. */
    public static final List<String> CLASSES = List.of(
            "t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot");

    public static final int SIDE = 28;

    /** images [n][28*28] as unsigned bytes, labels [n]. */
    public record Split(byte[] pixels, int[] labels, int count) {
        public int pixel(int item, int i) { return pixels[item * SIDE * SIDE + i] & 0xff; }
    }

    private FashionMnist() { }

    public static Split train(Path dir) throws IOException { return load(dir, "train"); }

    public static Split test(Path dir) throws IOException { return load(dir, "t10k"); }

    /** Whether dir holds the four files (gzipped or not). */
    public static boolean present(Path dir) {
        for (String s : new String[] {"train", "t10k"}) {
            if (find(dir, s + "-images-idx3-ubyte") == null || find(dir, s + "-labels-idx1-ubyte") == null) return false;
        }
        return true;
    }

    static Split load(Path dir, String prefix) throws IOException {
        Path img = find(dir, prefix + "-images-idx3-ubyte"), lab = find(dir, prefix + "-labels-idx1-ubyte");
        if (img == null || lab == null) {
            throw new IOException("Fashion-MNIST not found in " + dir + ": expected " + prefix + "-images-idx3-ubyte(.gz) and "
                    + prefix + "-labels-idx1-ubyte(.gz). Install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) "
                    + "or download the four IDX files from the Fashion-MNIST project and pass their folder with --data");
        }
        Idx.Array images = Idx.read(img), labels = Idx.read(lab);
        if (images.dims().length != 3 || images.dims()[1] != SIDE || images.dims()[2] != SIDE) {
            throw new clipcl.tensor.io.BadInputException(img.toString(), "dims", "expected images of 28x28, got " + java.util.Arrays.toString(images.dims()));
        }
        if (labels.dims().length != 1) throw new clipcl.tensor.io.BadInputException(lab.toString(), "dims", "expected one label per item, got dims " + java.util.Arrays.toString(labels.dims()));
        if (labels.count() != images.count()) throw new clipcl.tensor.io.BadInputException(lab.toString(), "dims[0]", labels.count() + " labels for " + images.count() + " images in " + img);
        int[] l = new int[labels.count()];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels.unsigned(i);
            if (l[i] >= CLASSES.size()) throw new clipcl.tensor.io.BadInputException(lab.toString(), "item " + i, "label " + l[i] + " is not one of the 10 classes");
        }
        return new Split(images.data(), l, images.count());
    }

    private static Path find(Path dir, String base) {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }
}

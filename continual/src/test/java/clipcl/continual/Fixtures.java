package clipcl.continual;

import clipcl.clip.data.FashionMnist;
import clipcl.clip.demo.DemoConfig;
import clipcl.clip.model.Clip;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.LabeledImages;
import clipcl.continual.data.MnistDigits;
import clipcl.continual.protocol.Clip0;
import clipcl.tensor.Rng;
import java.util.List;

/** A benchmark small enough for unit tests: random 28x28 images, a per-class bias so classes differ, a tiny CLIP. */
public final class Fixtures {
    private Fixtures() { }

    public static LabeledImages images(String name, List<String> classes, int perClass, long seed) {
        int n = classes.size() * perClass;
        byte[] px = new byte[n * 28 * 28];
        int[] labels = new int[n];
        Rng r = new Rng(seed);
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes.size();
            for (int k = 0; k < 28 * 28; k++) {
                // the class lights one horizontal band brighter, so a model can tell classes apart
                int band = (k / 28) / 3 == labels[i] ? 150 : 0;
                px[i * 784 + k] = (byte) Math.min(255, band + r.nextInt(100));
            }
        }
        return new LabeledImages(name, px, labels, n, 28, classes);
    }

    public static Benchmark benchmark() {
        return Benchmark.of(images("fashion/train", FashionMnist.CLASSES, 6, 1), images("fashion/test", FashionMnist.CLASSES, 3, 2),
                images("digits/train", MnistDigits.CLASSES, 6, 3), images("digits/test", MnistDigits.CLASSES, 3, 4));
    }

    /** width 32, one layer a tower, patch 14, embeddings of 16. */
    public static DemoConfig tinyDemo() { return new DemoConfig(1, 10, 2e-3, 0.1, 0.1, 32, 1, 1, 14, 16, 60, 7); }

    public static Clip tinyClip(Benchmark b) { return Clip.create(Clip0.modelConfig(tinyDemo(), b), 7); }
}

package clipcl.continual.data;

import clipcl.clip.data.FashionMnist;
import java.io.IOException;
import java.nio.file.Path;

/** Fashion-MNIST (the "old" data CLIP_0 is trained on) as {@link LabeledImages}. */
public final class Fashion {
    private Fashion() { }

    public static LabeledImages train(Path dir) throws IOException { return of("fashion-mnist/train", FashionMnist.train(dir)); }

    public static LabeledImages test(Path dir) throws IOException { return of("fashion-mnist/test", FashionMnist.test(dir)); }

    static LabeledImages of(String name, FashionMnist.Split s) {
        return new LabeledImages(name, s.pixels(), s.labels(), s.count(), FashionMnist.SIDE, FashionMnist.CLASSES);
    }
}

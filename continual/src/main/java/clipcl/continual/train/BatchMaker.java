package clipcl.continual.train;

import clipcl.continual.data.CaptionTemplates;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.LabeledImages;
import clipcl.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a batch of given training items outside the training loop (Fisher estimation, features for a
 * replay buffer): images without augmentation, one template caption an item drawn from a generator
 * keyed by {@code draw}, so the same call gives the same batch.
 */
@FunctionalInterface
public interface BatchMaker {
    Batch of(int[] items, long draw);

    /** On the CPU. */
    static BatchMaker of(LabeledImages data, ImageTensors images, CaptionTemplates captions, TextEncoder text, long seed) {
        return of(data, images, captions, text, seed, clipcl.tensor.Device.CPU);
    }

    /** Batches whose images and token ids are on device (the model's). */
    static BatchMaker of(LabeledImages data, ImageTensors images, CaptionTemplates captions, TextEncoder text, long seed, clipcl.tensor.Device device) {
        return (items, draw) -> {
            Rng rng = new Rng(seed ^ 0x2545F4914F6CDD1DL, draw);
            int[] labels = new int[items.length];
            List<String> caps = new ArrayList<>(items.length);
            for (int i = 0; i < items.length; i++) {
                labels[i] = data.labels()[items[i]];
                caps.add(captions.caption(data, items[i], rng));
            }
            return new Batch(items.clone(), labels, Placement.onDevice(images.of(data, items, null), device), caps, text.ids(caps, device), 0);
        };
    }
}

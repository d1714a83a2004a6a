package clipcl.continual.train;

import clipcl.tensor.Tensor;
import java.util.List;

/**
 * One training batch: items of the session's training set (replayed items included), their labels,
 * the images [B, 3, S, S], the captions and their token ids I32 [B, context].
 *
 * @param replayed how many of the last rows came from the replay buffer (0 without replay)
 */
public record Batch(int[] items, int[] labels, Tensor images, List<String> captions, Tensor ids, int replayed) {
    public int size() { return items.length; }

    /** The first n rows (views of the images and ids), with no replayed rows: the batch's new items when n = size - replayed. */
    public Batch head(int n) {
        if (n <= 0 || n > size()) throw new IllegalArgumentException("batch head: " + n + " rows of " + size());
        return new Batch(java.util.Arrays.copyOf(items, n), java.util.Arrays.copyOf(labels, n), images.narrow(0, 0, n),
                List.copyOf(captions.subList(0, n)), ids.narrow(0, 0, n), Math.max(0, replayed - (size() - n)));
    }
}

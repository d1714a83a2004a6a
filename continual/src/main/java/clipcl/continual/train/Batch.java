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
}

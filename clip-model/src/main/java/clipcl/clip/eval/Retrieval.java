package clipcl.clip.eval;

import clipcl.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Image-text retrieval recall with several captions per image, as CLIP papers report it:
 * image-to-text R@k counts an image as found when any of its captions ranks in the top k;
 * text-to-image R@k when the caption's image does. Also the mean and median rank (1-based, of
 * the best caption for image-to-text), as open_clip prints them.
 */
public final class Retrieval {
    private Retrieval() { }

    /** Recalls in percent (keys "i2t_R@1", ..., "t2i_R@10", "i2t_mean_rank", ...). */
    public record Result(Map<String, Double> metrics) {
        public double get(String key) {
            Double v = metrics.get(key);
            if (v == null) throw new IllegalArgumentException("no metric " + key + "; have " + metrics.keySet());
            return v;
        }
    }

    public static final int[] KS = {1, 5, 10};

    /**
     * @param imageFeatures [N, E] (normalised here)
     * @param textFeatures  [M, E] (normalised here)
     * @param textToImage   for each caption, the index of its image
     */
    public static Result evaluate(Tensor imageFeatures, Tensor textFeatures, int[] textToImage) {
        int n = imageFeatures.dim(0), m = textFeatures.dim(0);
        if (textToImage.length != m) throw new IllegalArgumentException("retrieval: " + textToImage.length + " caption-to-image links for " + m + " captions");
        for (int j = 0; j < m; j++) {
            if (textToImage[j] < 0 || textToImage[j] >= n) throw new IllegalArgumentException("retrieval: caption " + j + " points to image " + textToImage[j] + " of " + n);
        }
        Tensor sim = imageFeatures.l2Normalize(-1, 1e-12).matmul(textFeatures.l2Normalize(-1, 1e-12).mT()); // [N, M]
        float[] s = sim.toFloatArray();
        // image -> text: best rank over the image's captions
        int[] i2t = new int[n];
        Arrays.fill(i2t, Integer.MAX_VALUE);
        for (int j = 0; j < m; j++) {
            int i = textToImage[j];
            float v = s[i * m + j];
            int above = Float.isNaN(v) ? m : 0;                                // NaN compares below nothing: rank it last
            if (above == 0) for (int q = 0; q < m; q++) if (s[i * m + q] > v) above++;
            i2t[i] = Math.min(i2t[i], above);
        }
        for (int i = 0; i < n; i++) if (i2t[i] == Integer.MAX_VALUE) throw new IllegalArgumentException("retrieval: image " + i + " has no caption");
        // text -> image
        int[] t2i = new int[m];
        for (int j = 0; j < m; j++) {
            int i = textToImage[j];
            float v = s[i * m + j];
            int above = Float.isNaN(v) ? n : 0;
            if (above == 0) for (int q = 0; q < n; q++) if (s[q * m + j] > v) above++;
            t2i[j] = above;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int k : KS) out.put("i2t_R@" + k, recall(i2t, k));
        for (int k : KS) out.put("t2i_R@" + k, recall(t2i, k));
        out.put("i2t_mean_rank", mean(i2t) + 1);
        out.put("i2t_median_rank", median(i2t) + 1);
        out.put("t2i_mean_rank", mean(t2i) + 1);
        out.put("t2i_median_rank", median(t2i) + 1);
        return new Result(out);
    }

    /**
     * The 5-fold 1K protocol (COCO 5K split into 5 folds of 1,000 consecutive images with their
     * captions, metrics averaged over folds).
     */
    public static Result evaluateFolds(Tensor imageFeatures, Tensor textFeatures, int[] textToImage, int folds) {
        int n = imageFeatures.dim(0);
        if (folds <= 0 || n % folds != 0) throw new IllegalArgumentException("retrieval: " + n + " images do not split into " + folds + " equal folds");
        int per = n / folds;
        Map<String, Double> sum = new LinkedHashMap<>();
        for (int f = 0; f < folds; f++) {
            int lo = f * per, hi = lo + per;
            int count = 0;
            for (int t : textToImage) if (t >= lo && t < hi) count++;
            int[] idx = new int[count], map = new int[count];
            for (int j = 0, c = 0; j < textToImage.length; j++) {
                if (textToImage[j] >= lo && textToImage[j] < hi) { idx[c] = j; map[c++] = textToImage[j] - lo; }
            }
            Tensor img = imageFeatures.narrow(0, lo, per);
            Tensor txt = textFeatures.indexSelect(0, Tensor.of(idx, idx.length));
            Result r = evaluate(img, txt, map);
            r.metrics().forEach((k, v) -> sum.merge(k, v / folds, Double::sum));
        }
        return new Result(sum);
    }

    private static double recall(int[] ranks, int k) {
        int hit = 0;
        for (int r : ranks) if (r < k) hit++;
        return 100.0 * hit / ranks.length;
    }

    private static double mean(int[] a) {
        double s = 0;
        for (int x : a) s += x;
        return s / a.length;
    }

    private static double median(int[] a) {
        int[] c = a.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2.0;
    }
}

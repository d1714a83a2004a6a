package clipcl.continual.metrics;

import java.util.Arrays;

/**
 * Image-text retrieval from a similarity matrix {@code sim[i][j]} = score of image i with text j
 * (cosine similarity, or any score where higher is better). Each text belongs to exactly one image
 * ({@code imageOfText[j]}); an image may own several texts (COCO's five captions).
 *
 * <p>Ranks are 0-based: the rank of a positive is the number of candidates that score strictly higher
 * than it. Ties therefore count in the positive's favour: captions made from class templates repeat
 * word for word, score exactly the same, and none of them is more right than another. For image-to-text
 * the rank is that of the image's best-scoring own text.
 *
 * <p>{@code clipcl.clip.eval.Retrieval} computes the same recalls (same rank rule) straight from feature
 * tensors; this class works on any score matrix (for instance one that a method rescored) and hands
 * out the ranks themselves.
 */
public final class Retrieval {
    private Retrieval() { }

    /** Image-to-text rank (0-based) of each image's best own text: {@code ranks[i]}. */
    public static int[] imageToTextRanks(double[][] sim, int[] imageOfText) {
        int nImg = check(sim, imageOfText);
        int nTxt = imageOfText.length;
        int[] ranks = new int[nImg];
        double[] best = new double[nImg];
        Arrays.fill(best, Double.NEGATIVE_INFINITY);
        boolean[] hasText = new boolean[nImg];
        for (int j = 0; j < nTxt; j++) {
            int i = imageOfText[j];
            hasText[i] = true;
            best[i] = Math.max(best[i], sim[i][j]);
        }
        for (int i = 0; i < nImg; i++) {
            if (!hasText[i]) throw new IllegalArgumentException("retrieval: image " + i + " has no text in imageOfText");
            int r = 0;
            for (int j = 0; j < nTxt; j++) if (sim[i][j] > best[i]) r++;
            ranks[i] = r;
        }
        return ranks;
    }

    /** Text-to-image rank (0-based) of each text's own image: {@code ranks[j]}. */
    public static int[] textToImageRanks(double[][] sim, int[] imageOfText) {
        int nImg = check(sim, imageOfText);
        int[] ranks = new int[imageOfText.length];
        for (int j = 0; j < imageOfText.length; j++) {
            double pos = sim[imageOfText[j]][j];
            int r = 0;
            for (int i = 0; i < nImg; i++) if (sim[i][j] > pos) r++;
            ranks[j] = r;
        }
        return ranks;
    }

    /** Recall@k: the fraction of queries whose positive ranks within the top k. */
    public static double recallAt(int[] ranks, int k) {
        if (k < 1) throw new IllegalArgumentException("recall@k: k must be >= 1, got " + k);
        if (ranks.length == 0) throw new IllegalArgumentException("recall@k: no queries");
        int hit = 0;
        for (int r : ranks) if (r < k) hit++;
        return (double) hit / ranks.length;
    }

    /** Mean rank, 1-based as open_clip prints it. */
    public static double meanRank(int[] ranks) {
        if (ranks.length == 0) throw new IllegalArgumentException("mean rank: no queries");
        double s = 0;
        for (int r : ranks) s += r + 1;
        return s / ranks.length;
    }

    /** Median rank, 1-based (the mean of the two middle ranks for an even count, as numpy's median). */
    public static double medianRank(int[] ranks) {
        if (ranks.length == 0) throw new IllegalArgumentException("median rank: no queries");
        int[] c = ranks.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] + 1 : (c[n / 2 - 1] + c[n / 2]) / 2.0 + 1;
    }

    /** Top-k classification accuracy of {@code logits[item][class]} against labels (ties in the label's favour). */
    public static double topK(double[][] logits, int[] labels, int k) {
        if (logits.length != labels.length) {
            throw new IllegalArgumentException("top-k: " + logits.length + " rows of logits but " + labels.length + " labels");
        }
        int[] ranks = new int[labels.length];
        for (int n = 0; n < labels.length; n++) {
            double[] row = logits[n];
            if (labels[n] < 0 || labels[n] >= row.length) {
                throw new IllegalArgumentException("top-k: label " + labels[n] + " of item " + n + " outside " + row.length + " classes");
            }
            double pos = row[labels[n]];
            int r = 0;
            for (double v : row) if (v > pos) r++;
            ranks[n] = r;
        }
        return recallAt(ranks, k);
    }

    /** A row-major float similarity matrix (as tensors hold it) as rows of doubles. */
    public static double[][] rows(float[] rowMajor, int rows, int cols) {
        if ((long) rows * cols != rowMajor.length) {
            throw new IllegalArgumentException("retrieval: " + rowMajor.length + " values do not make a " + rows + " x " + cols + " matrix");
        }
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m[i][j] = rowMajor[i * cols + j];
        return m;
    }

    private static int check(double[][] sim, int[] imageOfText) {
        int nImg = sim.length;
        for (int i = 0; i < nImg; i++) {
            if (sim[i].length != imageOfText.length) {
                throw new IllegalArgumentException("retrieval: row " + i + " of the similarity matrix has " + sim[i].length
                        + " texts, imageOfText has " + imageOfText.length);
            }
        }
        for (int j = 0; j < imageOfText.length; j++) {
            if (imageOfText[j] < 0 || imageOfText[j] >= nImg) {
                throw new IllegalArgumentException("retrieval: text " + j + " belongs to image " + imageOfText[j] + ", outside " + nImg + " images");
            }
        }
        return nImg;
    }
}

package clipcl.clip.eval;

import clipcl.tensor.Tensor;

/** Rank arithmetic shared by classification and retrieval metrics. */
public final class Ranking {
    private Ranking() { }

    /**
     * Rank of the true column in each row of scores [N, C]: the number of columns that score
     * strictly higher (ties count in the true column's favour, as argmax of the first maximum). A NaN
     * true score ranks last (c): no column compares above NaN, so a diverged model would otherwise
     * rank every truth first.
     */
    public static int[] ranks(Tensor scores, int[] truth) {
        float[] s = scores.toFloatArray();
        int n = scores.dim(0), c = scores.dim(1);
        if (truth.length != n) throw new IllegalArgumentException("ranks: " + truth.length + " labels for " + n + " rows of scores " + scores.shape());
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            int t = truth[i];
            if (t < 0 || t >= c) throw new IllegalArgumentException("ranks: label " + t + " of row " + i + " outside 0.." + (c - 1));
            float v = s[i * c + t];
            if (Float.isNaN(v)) {
                r[i] = c;
                continue;
            }
            int above = 0;
            for (int j = 0; j < c; j++) if (s[i * c + j] > v) above++;
            r[i] = above;
        }
        return r;
    }

    public static double topKAccuracy(Tensor scores, int[] labels, int k) {
        int[] r = ranks(scores, labels);
        int hit = 0;
        for (int x : r) if (x < k) hit++;
        return r.length == 0 ? Double.NaN : (double) hit / r.length;
    }
}

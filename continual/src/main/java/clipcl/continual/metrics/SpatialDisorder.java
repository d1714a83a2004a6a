package clipcl.continual.metrics;

/**
 * Mod-X's measures of "spatial disorder" between two training phases (paper B, section 3 and
 * appendix), each a distribution of angles in degrees over fixed bins, returned as fractions:
 * <ul>
 * <li>SAM change: for every pair of samples a < b in one modality, |angle(a, b) at phase i - angle(a, b)
 *     at phase j| (how much the geometry inside the representation space changed); bins
 *     [0,5], (5,10], (10,15], (15,20], (20,180].</li>
 * <li>RAM: for every sample, the angle between its embedding at phase i and at phase j (how far the
 *     space rotated); bins [0,15], (15,20], (20,25], (25,30], (30,180]. The gap between the image and
 *     the text distributions is the paper's inter-modal deviation.</li>
 * <li>ImAV: for the samples retrieved correctly at phase t-1, |angle(image, text) at t-1 - angle(image,
 *     text) at t| (how the match between the two modalities moved); SAM's bins.</li>
 * </ul>
 * Embeddings are rows ({@code [sample][dim]}) and need not be normalised. Each bin holds the values in
 * (lower, upper], the first also its lower edge.
 */
public final class SpatialDisorder {
    private SpatialDisorder() { }

    public static final double[] SAM_BINS = {0, 5, 10, 15, 20, 180};
    public static final double[] RAM_BINS = {0, 15, 20, 25, 30, 180};
    public static final double[] IMAV_BINS = SAM_BINS;

    /** Distribution of |SAM_i - SAM_j| over all pairs a < b. O(n^2 d): a few seconds for 5,000 samples. */
    public static double[] samChange(double[][] phaseI, double[][] phaseJ, double[] bins) {
        int n = same(phaseI, phaseJ, "SAM");
        if (n < 2) throw new IllegalArgumentException("SAM: needs at least two samples, got " + n);
        double[][] u = unitRows(phaseI, "SAM phase i"), v = unitRows(phaseJ, "SAM phase j");
        long[] counts = new long[bins.length - 1];
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                double change = Math.abs(degrees(dot(u[a], u[b])) - degrees(dot(v[a], v[b])));
                counts[bin(change, bins)]++;
            }
        }
        return fractions(counts, (long) n * (n - 1) / 2);
    }

    /** Distribution of each sample's rotation angle between phase i and phase j. */
    public static double[] rotation(double[][] phaseI, double[][] phaseJ, double[] bins) {
        int n = same(phaseI, phaseJ, "RAM");
        double[] angles = new double[n];
        for (int a = 0; a < n; a++) angles[a] = angleDegrees(phaseI[a], phaseJ[a]);
        return histogram(angles, bins);
    }

    /**
     * Distribution of the change of each correctly retrieved sample's image-text angle from phase t-1
     * to phase t. {@code correctBefore[a]}: sample a was retrieved correctly at t-1.
     */
    public static double[] interModalChange(double[][] imagesBefore, double[][] textsBefore, double[][] imagesAfter, double[][] textsAfter,
                                            boolean[] correctBefore, double[] bins) {
        int n = same(imagesBefore, textsBefore, "ImAV before");
        same(imagesBefore, imagesAfter, "ImAV images");
        same(textsBefore, textsAfter, "ImAV texts");
        if (correctBefore.length != n) throw new IllegalArgumentException("ImAV: " + correctBefore.length + " flags for " + n + " samples");
        int m = 0;
        for (boolean c : correctBefore) if (c) m++;
        if (m == 0) throw new IllegalArgumentException("ImAV: no sample was retrieved correctly before");
        double[] changes = new double[m];
        for (int a = 0, k = 0; a < n; a++) {
            if (!correctBefore[a]) continue;
            changes[k++] = Math.abs(angleDegrees(imagesBefore[a], textsBefore[a]) - angleDegrees(imagesAfter[a], textsAfter[a]));
        }
        return histogram(changes, bins);
    }

    /**
     * The angle between two vectors in degrees, accurate for small and near-straight angles too:
     * 2 atan2(|x - y|, |x + y|) on the unit vectors (Kahan), where acos of the dot product loses them.
     */
    public static double angleDegrees(double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("angle: vectors of length " + x.length + " and " + y.length);
        double nx = norm(x, "angle: first vector"), ny = norm(y, "angle: second vector");
        double diff = 0, sum = 0;
        for (int k = 0; k < x.length; k++) {
            double a = x[k] / nx, b = y[k] / ny;
            diff += (a - b) * (a - b);
            sum += (a + b) * (a + b);
        }
        return Math.toDegrees(2 * Math.atan2(Math.sqrt(diff), Math.sqrt(sum)));
    }

    /** Fractions of the values in each bin; values outside [edges[0], edges[last]] are an error. */
    public static double[] histogram(double[] values, double[] edges) {
        if (values.length == 0) throw new IllegalArgumentException("histogram: no values");
        long[] counts = new long[edges.length - 1];
        for (double v : values) counts[bin(v, edges)]++;
        return fractions(counts, values.length);
    }

    private static int bin(double v, double[] edges) {
        if (!(v >= edges[0] && v <= edges[edges.length - 1])) {
            throw new IllegalArgumentException("histogram: " + v + " outside [" + edges[0] + ", " + edges[edges.length - 1] + "]");
        }
        for (int k = 1; k < edges.length - 1; k++) if (v <= edges[k]) return k - 1;
        return edges.length - 2;
    }

    private static double[] fractions(long[] counts, long total) {
        double[] f = new double[counts.length];
        for (int k = 0; k < f.length; k++) f[k] = (double) counts[k] / total;
        return f;
    }

    /** acos of a clamped cosine, in degrees; the bins are 5 degrees wide, far above acos's error near 0. */
    private static double degrees(double cos) {
        return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cos))));
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int k = 0; k < x.length; k++) s += x[k] * y[k];
        return s;
    }

    private static double norm(double[] x, String what) {
        double n = Math.sqrt(dot(x, x));
        if (!(n > 0) || !Double.isFinite(n)) throw new IllegalArgumentException(what + " has norm " + n);
        return n;
    }

    private static double[][] unitRows(double[][] m, String what) {
        double[][] u = new double[m.length][];
        for (int a = 0; a < m.length; a++) {
            double n = norm(m[a], what + " sample " + a);
            u[a] = new double[m[a].length];
            for (int k = 0; k < u[a].length; k++) u[a][k] = m[a][k] / n;
        }
        return u;
    }

    private static int same(double[][] x, double[][] y, String what) {
        if (x.length != y.length) throw new IllegalArgumentException(what + ": " + x.length + " samples against " + y.length);
        for (int a = 0; a < x.length; a++) {
            if (x[a].length != y[a].length) throw new IllegalArgumentException(what + ": sample " + a + " has dimensions " + x[a].length + " and " + y[a].length);
        }
        return x.length;
    }
}

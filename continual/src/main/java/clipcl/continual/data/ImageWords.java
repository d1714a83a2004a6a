package clipcl.continual.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Words that describe one gray image, for captions that vary per image (paper B's data: every image
 * has its own caption, in a vocabulary the old and the new data share). Four properties of the
 * image, each put in one of three bins by two cuts:
 * <ul>
 * <li>size: the share of ink pixels (value above 0.3) - little, medium, big;</li>
 * <li>tone: the mean value of the ink pixels - pale, grey, dark (as ink: bright pixels are dark ink);</li>
 * <li>slant: how far the ink leans, -mu_xy / mu_yy of the value-weighted central moments (y down, so
 *     positive leans its top to the right, as italics do) - leftward, upright, rightward;</li>
 * <li>shape: the ink's bounding box, width / height - narrow, square, wide.</li>
 * </ul>
 * The cuts are the terciles of each property over two training sets weighted alike ({@link #fit}: the
 * old and the new data's, so that a word means the same on both, as "big" does in COCO and Flickr30K
 * captions alike), so each word has a third of the images of the two sets together.
 *
 * @param cuts [property][2]: a value below cuts[p][0] is the first word, below cuts[p][1] the second, else the third
 */
public record ImageWords(List<List<Double>> cuts) {
    /** The words of each property, in bin order. */
    public static final List<List<String>> WORDS = List.of(
            List.of("little", "medium", "big"), List.of("pale", "grey", "dark"), List.of("leftward", "upright", "rightward"), List.of("narrow", "square", "wide"));
    /** The properties' names, as {@link #toJson} writes them. */
    public static final List<String> PROPERTIES = List.of("size", "tone", "slant", "shape");
    /** A pixel is ink above this value (of 1). */
    static final double INK = 0.3;

    public ImageWords {
        cuts = cuts.stream().map(List::copyOf).toList();
        if (cuts.size() != WORDS.size()) throw new IllegalArgumentException("image words: " + cuts.size() + " properties' cuts, expected " + WORDS.size());
        for (List<Double> c : cuts) {
            if (c.size() != 2 || !(c.get(0) <= c.get(1))) throw new IllegalArgumentException("image words: cuts " + c + " are not two ascending values");
        }
    }

    /** The cuts that split a and b, weighted alike, into thirds by each property. */
    public static ImageWords fit(LabeledImages a, LabeledImages b) {
        double[][] fa = properties(a), fb = properties(b);
        List<List<Double>> cuts = new ArrayList<>();
        for (int p = 0; p < WORDS.size(); p++) cuts.add(List.of(quantile(fa[p], fb[p], 1.0 / 3), quantile(fa[p], fb[p], 2.0 / 3)));
        return new ImageWords(cuts);
    }

    /** "size tone slant shape" of item, e.g. "big dark upright narrow". */
    public String describe(LabeledImages set, int item) {
        double[] v = properties(set, item);
        StringBuilder sb = new StringBuilder();
        for (int p = 0; p < v.length; p++) {
            List<Double> c = cuts.get(p);
            int bin = v[p] < c.get(0) ? 0 : v[p] < c.get(1) ? 1 : 2;
            if (p > 0) sb.append(' ');
            sb.append(WORDS.get(p).get(bin));
        }
        return sb.toString();
    }

    /** Every description, "little pale leftward narrow" to "big dark rightward wide", the first property slowest. */
    public static List<String> descriptions() {
        List<String> out = new ArrayList<>(List.of(""));
        for (List<String> words : WORDS) {
            List<String> next = new ArrayList<>();
            for (String d : out) for (String w : words) next.add(d.isEmpty() ? w : d + " " + w);
            out = next;
        }
        return out;
    }

    /** Every word, for a vocabulary. */
    public static List<String> vocabulary() { return WORDS.stream().flatMap(List::stream).toList(); }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int p = 0; p < WORDS.size(); p++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("words", WORDS.get(p));
            e.put("cuts", cuts.get(p));
            m.put(PROPERTIES.get(p), e);
        }
        return m;
    }

    /** [size, tone, slant, shape] of one item of a set held as bytes (the scalar definition the class comment gives). */
    static double[] properties(LabeledImages set, int item) {
        if (set.source() != null) throw new IllegalArgumentException(set.name() + ": image words describe images held as bytes, not images read from files");
        int s = set.side(), ink = 0, x0 = s, x1 = -1, y0 = s, y1 = -1;
        double inkSum = 0, w = 0, sx = 0, sy = 0;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                double v = set.pixel(item, y * s + x) / 255.0;
                w += v;
                sx += v * x;
                sy += v * y;
                if (v > INK) {
                    ink++;
                    inkSum += v;
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        double slant = 0;
        if (w > 0) {
            double cx = sx / w, cy = sy / w, mxy = 0, myy = 0;
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    double v = set.pixel(item, y * s + x) / 255.0;
                    mxy += v * (x - cx) * (y - cy);
                    myy += v * (y - cy) * (y - cy);
                }
            }
            if (myy > 0) slant = -mxy / myy;
        }
        double aspect = ink == 0 ? 1 : (double) (x1 - x0 + 1) / (y1 - y0 + 1);
        return new double[] {(double) ink / (s * s), ink == 0 ? 0 : inkSum / ink, slant, aspect};
    }

    /** [property][item] of every item of set. */
    static double[][] properties(LabeledImages set) {
        double[][] out = new double[WORDS.size()][set.count()];
        for (int i = 0; i < set.count(); i++) {
            double[] v = properties(set, i);
            for (int p = 0; p < v.length; p++) out[p][i] = v[p];
        }
        return out;
    }

    /** The smallest value whose share of the weight at or below it reaches q, a's items and b's weighted so that each set weighs the same. */
    static double quantile(double[] a, double[] b, double q) {
        int n = a.length + b.length;
        double[] v = new double[n], wt = new double[n];
        for (int i = 0; i < a.length; i++) { v[i] = a[i]; wt[i] = 0.5 / a.length; }
        for (int i = 0; i < b.length; i++) { v[a.length + i] = b[i]; wt[a.length + i] = 0.5 / b.length; }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(v[x], v[y]));
        double c = 0;
        for (int k = 0; k < n; k++) {
            c += wt[order[k]];
            if (c >= q - 1e-12) return v[order[k]];
        }
        return v[order[n - 1]];
    }
}

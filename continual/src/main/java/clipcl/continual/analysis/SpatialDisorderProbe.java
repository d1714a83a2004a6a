package clipcl.continual.analysis;

import clipcl.clip.model.Clip;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.LabeledImages;
import clipcl.continual.metrics.SpatialDisorder;
import clipcl.continual.protocol.SessionProbe;
import clipcl.continual.train.TextEncoder;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Paper B's spatial-disorder analyses (Sec. 3) between CLIP_0 (phase 0) and the model after each phase,
 * on a fixed test set of the old data (the first {@code n} Fashion-MNIST test images, one template
 * caption each drawn with a fixed seed):
 * <ul>
 * <li>{@code sd_sam_image_*}, {@code sd_sam_text_*}: the distribution of |SAM_0 - SAM_t| over sample pairs
 *     (bins 0-5, 5-10, 10-15, 15-20, 20-180 degrees);</li>
 * <li>{@code sd_ram_image_*}, {@code sd_ram_text_*}: each sample's rotation between phase 0 and t (bins
 *     0-15, 15-20, 20-25, 25-30, 30-180); {@code sd_ram_image_mean}, {@code sd_ram_text_mean} and their
 *     difference {@code sd_intermodal_deviation} (the paper's inter-modal deviation as one number);</li>
 * <li>{@code sd_imav_*}: for the images CLIP_0 retrieves correctly (its nearest caption is its own
 *     caption's text), the change of the image-caption angle from phase 0 to t (SAM's bins).</li>
 * </ul>
 * The paper's ImAV is between consecutive phases; here every analysis is against phase 0, which the
 * project's study asks for and which a resumed run can recompute without the previous phase's model.
 */
public final class SpatialDisorderProbe implements SessionProbe {
    public static final String PREFIX = "sd_";

    private final Tensor images, ids;
    private final List<String> captions;
    private final double[][] image0, text0;
    private final boolean[] correct0;

    public SpatialDisorderProbe(Benchmark b, ImageTensors imageTensors, Clip clip0, int n, long seed) {
        LabeledImages set = b.fashionTest();
        int m = Math.min(n, set.count());
        int[] items = new int[m];
        for (int i = 0; i < m; i++) items[i] = i;
        images = Scope.detach(imageTensors.of(set, items, null));
        Rng rng = new Rng(seed + 29);
        captions = new ArrayList<>(m);
        for (int i = 0; i < m; i++) captions.add(b.fashionCaptions().caption(set, i, rng));
        ids = Scope.detach(new TextEncoder(b.tokens()).ids(captions));
        double[][][] e = embed(clip0);
        image0 = e[0];
        text0 = e[1];
        correct0 = correct(image0, text0, captions);
    }

    @Override
    public Map<String, Double> measure(Clip model) {
        double[][][] e = embed(model);
        Map<String, Double> out = new LinkedHashMap<>();
        put(out, "sam_image", SpatialDisorder.samChange(image0, e[0], SpatialDisorder.SAM_BINS), SpatialDisorder.SAM_BINS);
        put(out, "sam_text", SpatialDisorder.samChange(text0, e[1], SpatialDisorder.SAM_BINS), SpatialDisorder.SAM_BINS);
        put(out, "ram_image", SpatialDisorder.rotation(image0, e[0], SpatialDisorder.RAM_BINS), SpatialDisorder.RAM_BINS);
        put(out, "ram_text", SpatialDisorder.rotation(text0, e[1], SpatialDisorder.RAM_BINS), SpatialDisorder.RAM_BINS);
        double mi = meanRotation(image0, e[0]), mt = meanRotation(text0, e[1]);
        out.put(PREFIX + "ram_image_mean", mi);
        out.put(PREFIX + "ram_text_mean", mt);
        out.put(PREFIX + "intermodal_deviation", Math.abs(mi - mt));
        int correct = 0;
        for (boolean c : correct0) correct += c ? 1 : 0;
        // with no correctly retrieved sample the bins are all zero (and sd_imav_samples says why)
        put(out, "imav", correct == 0 ? new double[SpatialDisorder.IMAV_BINS.length - 1]
                : SpatialDisorder.interModalChange(image0, text0, e[0], e[1], correct0, SpatialDisorder.IMAV_BINS), SpatialDisorder.IMAV_BINS);
        out.put(PREFIX + "imav_samples", (double) correct);
        return out;
    }

    /** Bin keys as the report names them: sd_ram_image_0_15, ..., sd_ram_image_30_180. */
    public static List<String> keys(String what, double[] bins) {
        List<String> k = new ArrayList<>();
        for (int i = 0; i + 1 < bins.length; i++) k.add(PREFIX + what + "_" + (int) bins[i] + "_" + (int) bins[i + 1]);
        return k;
    }

    private static void put(Map<String, Double> out, String what, double[] fractions, double[] bins) {
        List<String> k = keys(what, bins);
        for (int i = 0; i < fractions.length; i++) out.put(k.get(i), fractions[i]);
    }

    private static double meanRotation(double[][] a, double[][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += SpatialDisorder.angleDegrees(a[i], b[i]);
        return s / a.length;
    }

    /** Image i counts as retrieved correctly when its most similar caption has its own caption's text. */
    static boolean[] correct(double[][] img, double[][] txt, List<String> captions) {
        boolean[] ok = new boolean[img.length];
        double[] nt = new double[txt.length];
        for (int j = 0; j < txt.length; j++) nt[j] = Math.sqrt(dot(txt[j], txt[j]));
        for (int i = 0; i < img.length; i++) {
            int best = 0;
            double bs = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < txt.length; j++) {
                double s = dot(img[i], txt[j]) / nt[j];
                if (s > bs) {
                    bs = s;
                    best = j;
                }
            }
            ok[i] = captions.get(best).equals(captions.get(i));
        }
        return ok;
    }

    private double[][][] embed(Clip model) {
        boolean training = model.isTraining();
        model.eval();
        try (Scope s = Scope.open()) {
            Tensor fi = model.encodeImages(images, 500), ft = model.encodeTexts(ids, 500);
            return new double[][][] {rows(fi), rows(ft)};
        } finally {
            if (training) model.train(true);
        }
    }

    private static double[][] rows(Tensor t) {
        int n = t.dim(0), d = t.dim(1);
        double[] f = t.contiguous().toDoubleArray();
        double[][] r = new double[n][d];
        for (int i = 0; i < n; i++) System.arraycopy(f, i * d, r[i], 0, d);
        return r;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) s += a[k] * b[k];
        return s;
    }
}

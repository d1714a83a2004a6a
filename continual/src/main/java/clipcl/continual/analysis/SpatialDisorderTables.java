package clipcl.continual.analysis;

import clipcl.continual.metrics.SpatialDisorder;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The spatial-disorder section of report.md, in the layout of paper B's Table 1 (RAM) and Table 5
 * (ImAV): one row per phase, one column per angle bin, the share of samples in percent (+- the spread
 * over seeds when the run averaged several).
 */
public final class SpatialDisorderTables {
    private SpatialDisorderTables() { }

    public static boolean present(List<Map<String, Double>> sessions) {
        return !sessions.isEmpty() && sessions.get(0).containsKey(SpatialDisorderProbe.PREFIX + "ram_image_mean");
    }

    public static void append(StringBuilder b, List<Map<String, Double>> sessions) {
        if (!present(sessions)) return;
        b.append("## Spatial disorder (paper B, Sec. 3)\n\nBetween CLIP_0 (phase 0) and the model after each session, on the first ")
                .append("Fashion-MNIST test images (the old data) with one template caption each. Shares of samples (or sample pairs) ")
                .append("per angle bin in percent.\n\n");
        table(b, sessions, "RAM, image encoder: rotation of each image embedding (Table 1)", "ram_image", SpatialDisorder.RAM_BINS);
        table(b, sessions, "RAM, text encoder: rotation of each caption embedding", "ram_text", SpatialDisorder.RAM_BINS);
        b.append("Mean rotation in degrees, image / text, and their gap (the inter-modal deviation):\n\n| | image | text | deviation |\n|---|---:|---:|---:|\n");
        for (int s = 0; s < sessions.size(); s++) {
            Map<String, Double> m = sessions.get(s);
            b.append("| phase 0 -> ").append(s + 1).append(" | ").append(deg(m, "ram_image_mean")).append(" | ").append(deg(m, "ram_text_mean"))
                    .append(" | ").append(deg(m, "intermodal_deviation")).append(" |\n");
        }
        b.append('\n');
        table(b, sessions, "SAM change, image encoder: |SAM_0 - SAM_t| over pairs of images", "sam_image", SpatialDisorder.SAM_BINS);
        table(b, sessions, "SAM change, text encoder", "sam_text", SpatialDisorder.SAM_BINS);
        table(b, sessions, "ImAV: change of the image-caption angle of the pairs CLIP_0 retrieves correctly (Table 5, against phase 0)", "imav", SpatialDisorder.IMAV_BINS);
    }

    private static void table(StringBuilder b, List<Map<String, Double>> sessions, String title, String what, double[] bins) {
        List<String> keys = SpatialDisorderProbe.keys(what, bins);
        b.append("**").append(title).append("**\n\n| |");
        for (int i = 0; i + 1 < bins.length; i++) b.append(' ').append(i == 0 ? "[" : "(").append((int) bins[i]).append(", ").append((int) bins[i + 1]).append("] |");
        b.append("\n|---|");
        for (int i = 0; i + 1 < bins.length; i++) b.append("---:|");
        b.append('\n');
        for (int s = 0; s < sessions.size(); s++) {
            b.append("| phase 0 -> ").append(s + 1).append(" |");
            for (String k : keys) b.append(' ').append(pct(sessions.get(s), k)).append(" |");
            b.append('\n');
        }
        b.append('\n');
    }

    private static String pct(Map<String, Double> m, String key) {
        Double v = m.get(key), sd = m.get(key + "_std");
        if (v == null || v.isNaN()) return "-";
        String s = String.format(Locale.ROOT, "%.1f", 100 * v);
        return sd == null ? s : s + String.format(Locale.ROOT, " +- %.1f", 100 * sd);
    }

    private static String deg(Map<String, Double> m, String k) {
        Double v = m.get(SpatialDisorderProbe.PREFIX + k), sd = m.get(SpatialDisorderProbe.PREFIX + k + "_std");
        if (v == null) return "-";
        String s = String.format(Locale.ROOT, "%.2f", v);
        return sd == null ? s : s + String.format(Locale.ROOT, " +- %.2f", sd);
    }
}

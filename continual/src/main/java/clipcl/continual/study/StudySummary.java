package clipcl.continual.study;

import clipcl.continual.protocol.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The study's short verdict, computed from the cells' numbers: per protocol the best method by A-Acc,
 * the methods on the Pareto front of UT-Acc (new task) against ZS-Acc (old ability), and whether each
 * paper's headline finding held there:
 * <ul>
 * <li>paper A: VR-LwF keeps ZS-Acc at least as well as each of its baselines (FT, Joint, LwF, GeoDL, IMM,
 *     RKR) that learns the new task, i.e. ends with UT-Acc at least {@value #LEARNS} above CLIP_0's (a
 *     method that does not move keeps everything and proves nothing; the strict reading over every
 *     baseline is reported beside it);</li>
 * <li>paper B: Mod-X ends with a higher ZS-Acc than CLIP_ct (said to be beyond the seed spread when the
 *     gap exceeds the sum of the two standard deviations).</li>
 * </ul>
 */
public final class StudySummary {
    private StudySummary() { }

    /** UT-Acc gain over CLIP_0 (a fraction) from which a method counts as learning the new task. */
    public static final double LEARNS = 0.05;

    static final Set<String> PAPER_A_BASELINES = Set.of("ft", "joint", "joint-ft", "lwf", "geodl", "imm", "rkr");

    /** @param held null when the finding could not be checked (a method missing or failed) */
    public record Finding(String paper, Protocol protocol, Boolean held, String text) { }

    /** One protocol's verdict. */
    public record ProtocolSummary(Protocol protocol, String bestByAAcc, double bestAAcc, List<String> paretoFront, Finding paperA, Finding paperB) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("protocol", protocol.id());
            m.put("best_by_a_acc", bestByAAcc);
            m.put("best_a_acc", Double.isNaN(bestAAcc) ? null : bestAAcc);
            m.put("pareto_front_ut_vs_zs", new ArrayList<Object>(paretoFront));
            for (Finding f : List.of(paperA, paperB)) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("held", f.held());
                x.put("text", f.text());
                m.put("paper_" + f.paper().toLowerCase(Locale.ROOT), x);
            }
            return m;
        }
    }

    /** @param clip0Ut CLIP_0's UT-Acc (what a method must beat by {@link #LEARNS} to count as learning) */
    public static ProtocolSummary of(Protocol p, List<CellResult> all, double clip0Ut) {
        List<CellResult> cs = new ArrayList<>();
        for (CellResult c : all) if (c.protocol() == p && c.finals() != null) cs.add(c);
        String best = null;
        double bestA = Double.NaN;
        for (CellResult c : cs) {
            if (!Double.isNaN(c.get("a_acc")) && (best == null || c.get("a_acc") > bestA)) {
                best = c.label();
                bestA = c.get("a_acc");
            }
        }
        double[] x = new double[cs.size()], y = new double[cs.size()];
        for (int i = 0; i < cs.size(); i++) {
            x[i] = cs.get(i).get("zs_acc");
            y[i] = cs.get(i).get("ut_acc");
        }
        List<String> front = new ArrayList<>();
        for (int i : Pareto.front(x, y)) front.add(cs.get(i).label());
        return new ProtocolSummary(p, best, bestA, front, paperA(p, cs, clip0Ut), paperB(p, cs));
    }

    static Finding paperA(Protocol p, List<CellResult> cs, double clip0Ut) {
        CellResult vr = find(cs, "vr-lwf");
        List<CellResult> base = new ArrayList<>();
        for (CellResult c : cs) if (PAPER_A_BASELINES.contains(c.baseMethod())) base.add(c);
        if (vr == null || base.isEmpty()) return new Finding("A", p, null, "not checked: VR-LwF or its baselines did not finish under " + p.id());
        CellResult bestAll = maxZs(base), bestLearner = null;
        List<CellResult> learners = new ArrayList<>();
        for (CellResult c : base) if (c.get("ut_acc") >= clip0Ut + LEARNS) learners.add(c);
        if (!learners.isEmpty()) bestLearner = maxZs(learners);
        String strict = String.format(Locale.ROOT, "over every baseline %s (best %s %s)", vr.get("zs_acc") >= bestAll.get("zs_acc") ? "too" : "not",
                bestAll.label(), pct(bestAll, "zs_acc"));
        if (bestLearner == null) {
            return new Finding("A", p, null, String.format(Locale.ROOT, "not checked: no baseline learns the digits (UT-Acc >= CLIP_0 + %.0f points); VR-LwF ZS-Acc %s, %s",
                    100 * LEARNS, pct(vr, "zs_acc"), strict));
        }
        boolean held = vr.get("zs_acc") >= bestLearner.get("zs_acc");
        return new Finding("A", p, held, String.format(Locale.ROOT, "%s: VR-LwF keeps ZS-Acc %s (UT-Acc %s) against the best baseline that learns, %s %s (UT-Acc %s); %s",
                held ? "held" : "not held", pct(vr, "zs_acc"), pct(vr, "ut_acc"), bestLearner.label(), pct(bestLearner, "zs_acc"), pct(bestLearner, "ut_acc"), strict));
    }

    static Finding paperB(Protocol p, List<CellResult> cs) {
        CellResult mx = null, ct = find(cs, "clip-ct");
        for (CellResult c : cs) if (c.cell().method().equals("mod-x")) mx = c;
        if (mx == null || ct == null) return new Finding("B", p, null, "not checked: Mod-X or CLIP_ct did not finish under " + p.id());
        double gap = mx.get("zs_acc") - ct.get("zs_acc");
        double spread = mx.finals().getOrDefault("zs_acc_std", Double.NaN) + ct.finals().getOrDefault("zs_acc_std", Double.NaN);
        boolean held = gap > 0;
        String beyond = Double.isNaN(spread) ? "one seed, no spread to compare with" : (Math.abs(gap) > spread ? "beyond" : "within") + " the seed spread";
        return new Finding("B", p, held, String.format(Locale.ROOT, "%s: Mod-X ZS-Acc %s against CLIP_ct %s (%+.1f points, %s); I2T R@1 old %s against %s; UT-Acc %s against %s",
                held ? "held" : "not held", pct(mx, "zs_acc"), pct(ct, "zs_acc"), 100 * gap, beyond, pct(mx, "i2t_r1_old"), pct(ct, "i2t_r1_old"),
                pct(mx, "ut_acc"), pct(ct, "ut_acc")));
    }

    private static CellResult find(List<CellResult> cs, String base) {
        for (CellResult c : cs) if (c.baseMethod().equals(base)) return c;
        return null;
    }

    private static CellResult maxZs(List<CellResult> cs) {
        CellResult best = cs.get(0);
        for (CellResult c : cs) if (c.get("zs_acc") > best.get("zs_acc")) best = c;
        return best;
    }

    /** A final metric in percent with one decimal (and its spread over seeds). */
    static String pct(CellResult c, String key) {
        double v = c.get(key), s = c.finals().getOrDefault(key + "_std", Double.NaN);
        if (Double.isNaN(v)) return "-";
        return Double.isNaN(s) ? String.format(Locale.ROOT, "%.1f", 100 * v) : String.format(Locale.ROOT, "%.1f ± %.1f", 100 * v, 100 * s);
    }

    /** The summary as report.md's bullet list. */
    public static String markdown(List<ProtocolSummary> ps) {
        StringBuilder b = new StringBuilder();
        for (ProtocolSummary s : ps) {
            b.append("- **").append(s.protocol().id().toUpperCase(Locale.ROOT)).append("**: best A-Acc ")
                    .append(s.bestByAAcc() == null ? "-" : s.bestByAAcc() + String.format(Locale.ROOT, " (%.1f)", 100 * s.bestAAcc()))
                    .append("; Pareto front of UT-Acc against ZS-Acc: ").append(s.paretoFront().isEmpty() ? "-" : String.join(", ", s.paretoFront())).append(".\n")
                    .append("  - Paper A (VR-LwF keeps ZS-Acc best among its baselines): ").append(s.paperA().text()).append(".\n")
                    .append("  - Paper B (Mod-X keeps more old ability than CLIP_ct): ").append(s.paperB().text()).append(".\n");
        }
        return b.toString();
    }
}

package clipcl.continual.study;

import clipcl.continual.protocol.Protocol;
import clipcl.continual.report.ReportParts;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The text of a study's {@code report.md}. */
final class StudyMarkdown {
    private StudyMarkdown() { }

    static String text(GridState state, List<CellResult> cells, List<StudySummary.ProtocolSummary> summaries, Map<String, Double> clip0, List<String> charts) {
        StudyGrid g = state.grid();
        StringBuilder b = new StringBuilder("# Continual-learning study: every method under every protocol\n\n");
        int total = g.runs().size(), done = state.count(GridState.Status.DONE), failed = state.count(GridState.Status.FAILED);
        double wall = 0;
        for (CellResult c : cells) for (double w : c.wallSeconds()) wall += w;
        b.append(String.format(Locale.ROOT, "%d of %d runs done%s (%d methods x %d protocols x %d seed%s); %s of run time in all "
                        + "(the sum of the finished runs' wall times, each from its last start).%n%n",
                done, total, failed > 0 ? ", " + failed + " failed" : "", g.methods().size(), g.protocols().size(), g.seeds().size(),
                g.seeds().size() == 1 ? "" : "s", GridProgress.clock(wall)));
        b.append(settings(g));
        if (clip0 != null) {
            b.append(String.format(Locale.ROOT, "CLIP_0 (before any session): UT-Acc %s, ZS-Acc %s, A-Acc %s, I2T R@1 old %s.%n%n",
                    ReportParts.percent(clip0, "ut_acc"), ReportParts.percent(clip0, "zs_acc"), ReportParts.percent(clip0, "a_acc"), ReportParts.percent(clip0, "i2t_r1_old")));
        }
        b.append("## Summary (computed from the numbers below)\n\nBest method by A-Acc = (UT-Acc + ZS-Acc) / 2; the Pareto front "
                + "lists the methods no other method beats on both UT-Acc and ZS-Acc.\n\n").append(StudySummary.markdown(summaries)).append('\n');
        b.append(crossTable(g, cells));
        b.append(longTable(g, cells));
        b.append("## New task against old ability\n\n");
        for (Protocol p : g.protocols()) {
            String name = "tradeoff-" + p.id() + ".png";
            if (charts.contains(name)) b.append("![").append(p.id()).append(": UT-Acc against ZS-Acc](").append(name).append(")\n\n");
        }
        b.append("## Per-session curves\n\n");
        for (Protocol p : g.protocols()) {
            String name = "sessions-" + p.id() + ".png";
            if (charts.contains(name)) b.append("![").append(p.id()).append(": per session](").append(name).append(")\n\n");
        }
        b.append("## Per-protocol tables (the papers' layout)\n\nFinal metrics in percent, mean +- sample std over seeds where there are several. "
                + "Paper A reports OST and MST this way; paper B's stream reads the R@1 columns and ZS-Acc.\n\n");
        for (Protocol p : g.protocols()) b.append("### ").append(p.id().toUpperCase(Locale.ROOT)).append("\n\n").append(StudyReport.protocolTable(p, cells)).append('\n');
        b.append("## Accuracy matrices\n\nAfter each session (rows) on each task's digits (columns), 10-way; each run folder "
                + "(`runs/<cell>/seed-<s>/`) also draws them as heat maps. OST has one session and one task: its matrix is its UT-Acc.\n\n");
        for (CellResult c : cells) {
            if (c.result() == null || c.protocol() == Protocol.OST) continue;
            b.append("### ").append(c.label()).append(", ").append(c.protocol().id()).append("\n\n").append(StudyReport.matrices(c));
        }
        StringBuilder fails = new StringBuilder();
        for (CellResult c : cells) if (c.error() != null) fails.append("- ").append(c.label()).append(" / ").append(c.protocol().id()).append(": ").append(c.error()).append('\n');
        if (fails.length() > 0) b.append("## Failed runs\n\nEach failed run is marked in the tables; its folder keeps what it wrote. `clipcl study --resume` tries it again.\n\n").append(fails).append('\n');
        return b.toString();
    }

    private static String settings(StudyGrid g) {
        StudyPreset p = g.preset();
        return String.format(Locale.ROOT, "Preset `%s`: batch %d, %s epoch%s a session in every protocol, AdamW lr %s (cosine, 10%% warm-up), "
                        + "update WM; digits: %s for training, %s for testing; Fashion-MNIST: ZS-Acc on the first %d test images%s; "
                        + "Mod-X + buffer keeps %d items. OST: one session of all ten digits; MST: 5 sessions of 2 digits; stream: 5 random phases. "
                        + "Paper A's class-prompt cross-entropy is the base loss under OST and MST, InfoNCE under the stream. Seeds: %s. "
                        + "Every run folder's config.json reruns it (`clipcl study --rerun <run folder>`).%n%n",
                p.name(), p.batch(), fmt(p.epochs()), p.epochs() == 1 ? "" : "s", String.format(Locale.ROOT, "%.0e", p.lr()),
                p.digitsTrainPerClass() == 0 ? "all 8,000 images" : p.digitsTrainPerClass() + " images a class", p.digitsTestPerClass() == 0 ? "all 2,000" : p.digitsTestPerClass() + " a class",
                p.zsItems(), p.fashionTestItems() == 0 ? "" : " (retrieval and spatial disorder on the first " + p.fashionTestItems() + ", the linear probe fitted on "
                        + p.fashionTrainItems() / 2 + " training images, its regularisation chosen on the next " + p.fashionTrainItems() / 2 + ")", p.modxBuffer(), g.seeds());
    }

    /** Methods x protocols, each cell UT / ZS / A-Acc: the table to read first. */
    private static String crossTable(StudyGrid g, List<CellResult> cells) {
        StringBuilder b = new StringBuilder("## Cross-protocol table\n\nUT-Acc / ZS-Acc / A-Acc in percent after the last session");
        b.append(g.seeds().size() > 1 ? " (mean over seeds; spreads in the next table).\n\n" : ".\n\n| method |");
        if (g.seeds().size() > 1) b.append("| method |");
        for (Protocol p : g.protocols()) b.append(' ').append(p.id().toUpperCase(Locale.ROOT)).append(" |");
        b.append("\n|---|");
        for (int i = 0; i < g.protocols().size(); i++) b.append("---:|");
        b.append('\n');
        for (String[] m : g.methods()) {
            b.append("| ").append(m[0]).append(" |");
            for (Protocol p : g.protocols()) {
                CellResult c = find(cells, m[0], p);
                if (c == null || c.result() == null) b.append(c != null && c.error() != null ? " **failed** |" : " not run |");
                else b.append(String.format(Locale.ROOT, " %.1f / %.1f / %.1f |", 100 * c.get("ut_acc"), 100 * c.get("zs_acc"), 100 * c.get("a_acc")));
            }
            b.append('\n');
        }
        return b.append('\n').toString();
    }

    /** Every cell's headline metrics with their spread over seeds and its wall time. */
    private static String longTable(StudyGrid g, List<CellResult> cells) {
        StringBuilder b = new StringBuilder("## All cells\n\nPercent, mean ± sample std over seeds where there are several. Retention R@1: "
                + "image-to-text R@1 on the old data (Fashion-MNIST). Bwt (paper A's formula) and forgetting need several sessions with "
                + "their own tasks (MST). Wall: seconds a run, on the machine and load of this run (not a performance measurement).\n\n");
        b.append("| method | protocol | seeds | UT-Acc | ZS-Acc | A-Acc | R@1 old (I2T) | Bwt | forgetting | wall (s) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CellResult c : cells) {
            b.append("| ").append(c.label()).append(" | ").append(c.protocol().id()).append(" | ").append(c.seedsDone().size()).append(" |");
            if (c.result() == null) {
                b.append(c.error() != null ? " **failed**: " + c.error().replace("|", "\\|") : " not run").append(" | | | | | | |\n");
                continue;
            }
            for (String k : List.of("ut_acc", "zs_acc", "a_acc", "i2t_r1_old", "bwt", "forgetting")) b.append(' ').append(ReportParts.percent(c.finals(), k).replace("+-", "±")).append(" |");
            b.append(' ').append(StudyReport.wall(c)).append(" |");
            if (c.error() != null) b.append(" (some seeds failed: see below)");
            b.append('\n');
        }
        return b.append('\n').toString();
    }

    private static CellResult find(List<CellResult> cells, String label, Protocol p) {
        for (CellResult c : cells) if (c.label().equals(label) && c.protocol() == p) return c;
        return null;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}

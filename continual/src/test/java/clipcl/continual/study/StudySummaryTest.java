package clipcl.continual.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.continual.metrics.AccuracyMatrix;
import clipcl.continual.protocol.Protocol;
import clipcl.continual.report.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated summary on hand-made cells whose verdicts are known. */
class StudySummaryTest {
    static CellResult cell(String label, String method, Protocol p, double ut, double zs, double zsStd) {
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("ut_acc", ut);
        f.put("zs_acc", zs);
        f.put("a_acc", (ut + zs) / 2);
        f.put("i2t_r1_old", 0.1);
        List<Long> seeds = List.of(1L);
        if (!Double.isNaN(zsStd)) {
            f.put("zs_acc_std", zsStd);
            seeds = List.of(1L, 2L, 3L);
        }
        RunResult r = new RunResult(method, p.id(), "wm", seeds, Map.of("ut_acc", 0.1, "zs_acc", 0.8), List.of(f), f,
                AccuracyMatrix.of(new double[][] {{ut}}), null, List.of(), Map.of());
        return new CellResult(new GridCell(label, method, p), r, seeds, null, List.of(1.0));
    }

    private static List<CellResult> paperACells(Protocol p, double vrZs) {
        List<CellResult> cs = new ArrayList<>();
        cs.add(cell("FT", "ft", p, 0.60, 0.55, Double.NaN));
        cs.add(cell("LwF", "lwf", p, 0.50, 0.70, Double.NaN));
        cs.add(cell("RKR", "rkr", p, 0.11, 0.80, Double.NaN));   // does not learn: keeps everything
        cs.add(cell("VR-LwF", "vr-lwf", p, 0.52, vrZs, Double.NaN));
        cs.add(cell("CLIP_ct", "clip-ct", p, 0.70, 0.57, Double.NaN));
        return cs;
    }

    @Test
    void paperAHoldsAgainstTheBaselinesThatLearnNotAgainstOneThatDoesNotMove() {
        StudySummary.ProtocolSummary s = StudySummary.of(Protocol.OST, paperACells(Protocol.OST, 0.75), 0.10);
        assertTrue(s.paperA().held());
        assertTrue(s.paperA().text().contains("best baseline that learns, LwF 70.0"), s.paperA().text());
        assertTrue(s.paperA().text().contains("over every baseline not (best RKR 80.0)"), s.paperA().text());
        StudySummary.ProtocolSummary worse = StudySummary.of(Protocol.OST, paperACells(Protocol.OST, 0.65), 0.10);
        assertFalse(worse.paperA().held());
        // RKR's UT-Acc is 0.11 < 0.10 + 0.05, so it is not a learner; with CLIP_0 at 0.0 it would be, and beat VR-LwF
        assertFalse(StudySummary.of(Protocol.OST, paperACells(Protocol.OST, 0.75), 0.0).paperA().held());
    }

    @Test
    void bestByAAccAndTheParetoFrontComeFromTheNumbers() {
        StudySummary.ProtocolSummary s = StudySummary.of(Protocol.OST, paperACells(Protocol.OST, 0.75), 0.10);
        // A-Acc: FT .575, LwF .60, RKR .455, VR-LwF .635, CLIP_ct .635 (ties keep the first)
        assertEquals("VR-LwF", s.bestByAAcc());
        assertEquals(0.635, s.bestAAcc(), 1e-12);
        // front by ZS ascending: CLIP_ct (.57,.70), VR-LwF (.75,.52), RKR (.80,.11); FT and LwF are dominated
        assertEquals(List.of("CLIP_ct", "VR-LwF", "RKR"), s.paretoFront());
    }

    @Test
    void paperBComparesModXWithClipCtAndItsSpread() {
        List<CellResult> cs = new ArrayList<>();
        cs.add(cell("CLIP_ct", "clip-ct", Protocol.STREAM, 0.70, 0.57, 0.024));
        cs.add(cell("Mod-X", "mod-x", Protocol.STREAM, 0.65, 0.62, 0.005));
        cs.add(cell("Mod-X + buffer", "mod-x:buffer=500", Protocol.STREAM, 0.6, 0.90, 0.01)); // not the row compared
        StudySummary.Finding f = StudySummary.of(Protocol.STREAM, cs, 0.1).paperB();
        assertTrue(f.held());
        assertTrue(f.text().contains("+5.0 points, beyond the seed spread"), f.text());
        cs.set(1, cell("Mod-X", "mod-x", Protocol.STREAM, 0.65, 0.58, 0.005));
        StudySummary.Finding g = StudySummary.of(Protocol.STREAM, cs, 0.1).paperB();
        assertTrue(g.held());
        assertTrue(g.text().contains("within the seed spread"), g.text());
        cs.set(1, cell("Mod-X", "mod-x", Protocol.STREAM, 0.65, 0.50, 0.005));
        assertFalse(StudySummary.of(Protocol.STREAM, cs, 0.1).paperB().held());
    }

    @Test
    void aMissingMethodLeavesTheFindingUnchecked() {
        List<CellResult> cs = List.of(cell("FT", "ft", Protocol.MST, 0.2, 0.3, Double.NaN));
        StudySummary.ProtocolSummary s = StudySummary.of(Protocol.MST, cs, 0.1);
        assertNull(s.paperA().held());
        assertNull(s.paperB().held());
        // cells of another protocol do not count
        assertNull(StudySummary.of(Protocol.OST, cs, 0.1).bestByAAcc());
    }
}

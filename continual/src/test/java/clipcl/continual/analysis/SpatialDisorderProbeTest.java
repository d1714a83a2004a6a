package clipcl.continual.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.Var;
import clipcl.clip.model.Clip;
import clipcl.continual.Fixtures;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.loss.PaperBFixtures;
import clipcl.continual.metrics.SpatialDisorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SAM, RAM and ImAV against NumPy on fixed embeddings, and the probe on a model against itself and a changed copy. */
class SpatialDisorderProbeTest {
    @Test
    @SuppressWarnings("unchecked")
    void analysesMatchNumPy() throws Exception {
        Map<String, Object> c = (Map<String, Object>) PaperBFixtures.root().get("spatial_disorder");
        double[][] i0 = PaperBFixtures.matrix(c.get("image0")), t0 = PaperBFixtures.matrix(c.get("text0"));
        double[][] i1 = PaperBFixtures.matrix(c.get("image1")), t1 = PaperBFixtures.matrix(c.get("text1"));
        List<?> cl = (List<?>) c.get("correct0");
        boolean[] correct = new boolean[cl.size()];
        for (int i = 0; i < correct.length; i++) correct[i] = (Boolean) cl.get(i);
        List<String> unique = new ArrayList<>();
        for (int i = 0; i < i0.length; i++) unique.add("caption " + i);
        assertArrayEquals(correct, SpatialDisorderProbe.correct(i0, t0, unique), "with unique captions, correct = own caption retrieved");
        assertArrayEquals(vec(c.get("sam_image")), SpatialDisorder.samChange(i0, i1, SpatialDisorder.SAM_BINS), 1e-12);
        assertArrayEquals(vec(c.get("ram_image")), SpatialDisorder.rotation(i0, i1, SpatialDisorder.RAM_BINS), 1e-12);
        assertArrayEquals(vec(c.get("ram_text")), SpatialDisorder.rotation(t0, t1, SpatialDisorder.RAM_BINS), 1e-12);
        assertArrayEquals(vec(c.get("imav")), SpatialDisorder.interModalChange(i0, t0, i1, t1, correct, SpatialDisorder.IMAV_BINS), 1e-12);
    }

    @Test
    void noChangeAgainstItselfAndSomeAfterAChange() {
        Benchmark b = Fixtures.benchmark();
        Clip clip0 = Fixtures.tinyClip(b);
        SpatialDisorderProbe probe = new SpatialDisorderProbe(b, new ImageTensors(28, false), clip0, 30, 1);
        Map<String, Double> same = probe.measure(clip0);
        assertEquals(1.0, same.get("sd_ram_image_0_15"), 1e-12);
        assertEquals(1.0, same.get("sd_ram_text_0_15"), 1e-12);
        assertEquals(1.0, same.get("sd_sam_image_0_5"), 1e-12);
        assertEquals(0.0, same.get("sd_intermodal_deviation"), 1e-4);
        Clip changed = clip0.deepCopy();
        Var proj = changed.namedParameters().get("text_projection");
        proj.data().copyFrom(proj.data().mul(-1).add(0.05));
        Map<String, Double> moved = probe.measure(changed);
        assertTrue(moved.get("sd_ram_text_30_180") > 0.5, moved.toString());
        assertEquals(1.0, moved.get("sd_ram_image_0_15"), 1e-12, "the image tower did not change");
        assertTrue(moved.get("sd_intermodal_deviation") > 30, moved.toString());
        StringBuilder md = new StringBuilder();
        SpatialDisorderTables.append(md, List.of(same, moved));
        assertTrue(md.toString().contains("| phase 0 -> 2 | 100.0 | 0.0 | 0.0 | 0.0 | 0.0 |"), md.toString());
    }

    static double[] vec(Object o) {
        List<?> l = (List<?>) o;
        double[] v = new double[l.size()];
        for (int i = 0; i < v.length; i++) v[i] = ((Number) l.get(i)).doubleValue();
        return v;
    }
}

package clipcl.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the machine's SGEMM variant is chosen: forced, cached per machine key, or the baseline. */
class SgemmTuningTest {
    @TempDir Path dir;

    @AfterEach
    void clear() {
        System.clearProperty("clipcl.gemm.variant");
        System.clearProperty("clipcl.gemm.cache");
    }

    @Test
    void aPropertyForcesAVariantAndAnUnknownNameIsRefused() {
        System.setProperty("clipcl.gemm.cache", dir.resolve("none.json").toString());
        System.setProperty("clipcl.gemm.variant", "4x3-k128");
        assertEquals("4x3-k128", SgemmTuning.resolve().name());
        System.setProperty("clipcl.gemm.variant", "9x9-k1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, SgemmTuning::resolve);
        assertTrue(e.getMessage().contains("9x9-k1") && e.getMessage().contains("6x2-k256"), e.getMessage());
    }

    @Test
    void withoutCacheOrPropertyTheBaselineRuns() {
        System.setProperty("clipcl.gemm.cache", dir.resolve("missing.json").toString());
        assertEquals(SgemmVariant.BASELINE, SgemmTuning.resolve());
    }

    @Test
    void theCachedChoiceIsKeyedByMachineAndKeepsOtherMachines() throws Exception {
        Path file = dir.resolve("sub").resolve("gemm-tuning.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"entries\": [\n  {\"key\": \"other cpu | JDK 1 | 256-bit\", \"variant\": \"6x2-k128\"}\n]}\n");
        System.setProperty("clipcl.gemm.cache", file.toString());
        assertEquals(SgemmVariant.BASELINE, SgemmTuning.resolve(), "another machine's entry is not ours");
        SgemmTuning.save(SgemmVariant.byName("4x3-k256"));
        Map<String, String> cached = SgemmTuning.readCache(file);
        assertEquals("6x2-k128", cached.get("other cpu | JDK 1 | 256-bit"));
        assertEquals("4x3-k256", cached.get(SgemmTuning.key()));
        assertEquals("4x3-k256", SgemmTuning.resolve().name());
        // A stale name (a variant this JVM does not offer) falls back to the baseline.
        Files.writeString(file, Files.readString(file).replace("4x3-k256", "gone-k1"));
        assertEquals(SgemmVariant.BASELINE, SgemmTuning.resolve());
    }

    @Test
    void variantsAreValidTilesAndNamesAreUnique() {
        List<SgemmVariant> all = SgemmVariant.all();
        assertEquals(all.size(), all.stream().map(SgemmVariant::name).distinct().count());
        assertEquals(SgemmVariant.BASELINE, all.get(0));
        // Packing and the edge copy work in whole vectors of the preferred species.
        for (SgemmVariant v : all) assertEquals(0, v.nr() % SgemmKernel.L, v.name());
        assertThrows(IllegalArgumentException.class,
                () -> new SgemmVariant("bad", SgemmVariant.Kernel.K6X2, 256, 7, 96 * SgemmKernel.NR));
    }

    @Test
    void theFmaCalibrationMeasuresAPositivePeakForEachWidth() {
        FmaPeak p = FmaPeak.measure(0.02);
        assertTrue(p.gflops256() > 0 && Double.isFinite(p.gflops256()), p.toString());
        if (p.preferredBits() >= 512) assertTrue(p.gflops512() > 0 && Double.isFinite(p.gflops512()), p.toString());
        else assertTrue(Double.isNaN(p.gflops512()), p.toString());
        assertTrue(p.perCore() >= p.gflops256(), p.toString());
    }
}

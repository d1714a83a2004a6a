package clipcl.continual.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.clip.config.ClipConfig;
import clipcl.clip.model.Clip;
import clipcl.continual.Fixtures;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.LabeledImages;
import clipcl.continual.train.SessionListener;
import clipcl.continual.train.TextEncoder;
import clipcl.continual.train.TrainConfig;
import clipcl.tensor.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchClip0Test {
    static final Benchmark B = Fixtures.benchmark();
    static final ClipConfig TINY = Clip0.modelConfig(Fixtures.tinyDemo(), B);
    /** A study's settings: batch 10, 2 epochs over D0's 60 pairs (12 steps), checkpoints every 4, with replay the study would use. */
    static final TrainConfig STUDY = new TrainConfig(10, 2, 2e-3, 0.1, "adamw", "cosine", 0.2, 0, "contrastive", false, false, true, 0, 4, 0.25, 0.99, 1e-8);
    static final Map<String, Object> ID = Map.of("old_karpathy", "dataset_coco.json", "vocab_sha256", "ab");

    static ScratchClip0 scratch() { return new ScratchClip0(TINY, ScratchClip0.phase0Config(STUDY, null), 3, ID); }

    static Clip obtain(ScratchClip0 s, Path cache, List<String> lines, long stopAt) throws IOException {
        SessionListener l = new SessionListener() {
            @Override
            public void info(String line) { lines.add(line); }
        };
        return s.obtain(B.fashionTrain(), B.fashionCaptions(), new TextEncoder(B.tokens()), new ImageTensors(28, false), Device.CPU, cache, l, stopAt);
    }

    static void assertSameWeights(Clip a, Clip b) {
        for (String n : a.namedParameters().keySet()) assertArrayEquals(a.parameter(n).data().toFloatArray(), b.parameter(n).data().toFloatArray(), n);
    }

    @Test
    void phase0TakesTheStudysSettingsWithoutReplay() {
        TrainConfig p = ScratchClip0.phase0Config(STUDY.withObjective("class_ce"), null);
        assertEquals(List.of(10, 2.0, 2e-3, 0.1, "adamw", "cosine", 0.2, 0.0, 0.99, 1e-8, 4),
                List.of(p.batch(), p.epochs(), p.lr(), p.weightDecay(), p.optimizer(), p.schedule(), p.warmupFraction(), p.clipNorm(), p.adamBeta2(),
                        p.adamEps(), p.checkpointEvery()));
        assertEquals("contrastive", p.objective());
        assertEquals(0.0, p.replayFraction());
        assertEquals(5.0, ScratchClip0.phase0Config(STUDY, 5.0).epochs());
        assertEquals(12, scratch().steps(B.fashionTrain()));
    }

    @Test
    void trainedOnceFromARandomStartThenLoadedFromTheCache(@TempDir Path cache) throws IOException {
        ScratchClip0 s = scratch();
        List<String> lines = new ArrayList<>();
        Clip first = obtain(s, cache, lines, Long.MAX_VALUE);
        assertTrue(lines.get(0).contains("from scratch") && lines.get(0).contains("12 steps"), lines.toString());
        String key = s.key(B.fashionTrain());
        assertTrue(Files.isRegularFile(cache.resolve("clip0-scratch-" + key + ".safetensors")));
        assertTrue(Files.readString(cache.resolve("clip0-scratch-" + key + ".json")).contains("\"steps\": 12"));
        assertTrue(Files.notExists(cache.resolve("clip0-scratch-" + key + ".partial")), "the training checkpoint goes once the weights are cached");
        Clip init = Clip.create(TINY, 3);
        assertEquals(Math.log(1 / 0.07), init.logitScale().data().item(), 1e-6);   // CLIP's initial temperature
        assertNotEquals(init.parameter("visual.proj").data().get(0, 0), first.parameter("visual.proj").data().get(0, 0));
        Clip second = obtain(s, cache, lines, Long.MAX_VALUE);
        assertTrue(lines.get(lines.size() - 1).contains("cached"), lines.toString());
        assertSameWeights(first, second);
    }

    @Test
    void aKilledPhase0ResumesToTheWeightsOfAnUninterruptedOne(@TempDir Path a, @TempDir Path b) throws IOException {
        ScratchClip0 s = scratch();
        Clip whole = obtain(s, a, new ArrayList<>(), Long.MAX_VALUE);
        List<String> lines = new ArrayList<>();
        assertNull(obtain(s, b, lines, 6), "stopped before the end: no CLIP_0");
        String key = s.key(B.fashionTrain());
        assertTrue(Files.notExists(b.resolve("clip0-scratch-" + key + ".safetensors")), "nothing cached from a stopped phase 0");
        assertTrue(Files.isDirectory(b.resolve("clip0-scratch-" + key + ".partial")));
        Clip resumed = obtain(s, b, lines, Long.MAX_VALUE);
        assertTrue(lines.stream().anyMatch(x -> x.contains("resuming from step 6 of 12")), lines.toString());
        assertSameWeights(whole, resumed);
    }

    @Test
    void theKeyFollowsWhatDeterminesTheModel() {
        LabeledImages d0 = B.fashionTrain();
        String key = scratch().key(d0);
        assertEquals(key, new ScratchClip0(TINY, ScratchClip0.phase0Config(STUDY, null), 3, Map.of("vocab_sha256", "ab", "old_karpathy", "dataset_coco.json")).key(d0));
        assertNotEquals(key, new ScratchClip0(TINY, ScratchClip0.phase0Config(STUDY, 3.0), 3, ID).key(d0));
        assertNotEquals(key, new ScratchClip0(TINY, ScratchClip0.phase0Config(STUDY, null), 4, ID).key(d0));
        assertNotEquals(key, new ScratchClip0(TINY, ScratchClip0.phase0Config(STUDY, null), 3, Map.of("vocab_sha256", "cd")).key(d0));
        assertNotEquals(key, new ScratchClip0(TINY, ScratchClip0.phase0Config(STUDY.withBatch(12), null), 3, ID).key(d0));
        ClipConfig narrower = Clip0.modelConfig(new clipcl.clip.demo.DemoConfig(1, 10, 2e-3, 0.1, 0.1, 32, 1, 1, 14, 8, 60, 7), B);   // embeddings of 8
        assertNotEquals(TINY, narrower);
        assertNotEquals(key, new ScratchClip0(narrower, ScratchClip0.phase0Config(STUDY, null), 3, ID).key(d0));
        // the same images with other captions are other data
        LabeledImages recaptioned = new LabeledImages(d0.name(), d0.pixels(), d0.labels(), d0.count(), d0.side(),
                d0.classNames().stream().map(c -> c + "s").toList());
        assertNotEquals(key, scratch().key(recaptioned));
    }

    @Test
    void tooFewPairsForOneBatchIsAClearError(@TempDir Path cache) {
        ScratchClip0 s = new ScratchClip0(TINY, ScratchClip0.phase0Config(STUDY.withBatch(61), null), 3, ID);
        String e = assertThrows(IllegalArgumentException.class, () -> obtain(s, cache, new ArrayList<>(), Long.MAX_VALUE)).getMessage();
        assertTrue(e.contains(B.fashionTrain().name()) && e.contains("60") && e.contains("61"), e);
    }
}

package clipcl.continual.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.clip.demo.DemoConfig;
import clipcl.continual.Fixtures;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.LabeledImages;
import clipcl.continual.train.SessionListener;
import clipcl.tensor.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CLIP_0 that has seen some digits: its phase-0 data, the study's digits, and the cache key. */
class Clip0DataTest {
    private final Benchmark full = Fixtures.benchmark();   // 6 training digits a class
    private final DemoConfig d = Fixtures.tinyDemo();

    /** The key as it was computed before CLIP_0 could see digits: recipe, demo, model and vocabulary. */
    private static String keyAsBefore(DemoConfig d, Benchmark b) throws Exception {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("recipe", Clip0.RECIPE);
        k.put("demo", d.toJson());
        k.put("model", Clip0.modelConfig(d, b).toJson());
        List<String> words = new ArrayList<>(b.fashionCaptions().corpus(b.fashionTrain().classNames()));
        words.addAll(b.digitCaptions().corpus(b.digitsTrain().classNames()));
        k.put("corpus", words);
        byte[] h = MessageDigest.getInstance("SHA-256").digest(Json.write(k).getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(h, 0, 8);
    }

    @Test
    void noDigitSeenIsTheBenchmarkAsItIsUnderTheSameKey() throws Exception {
        Clip0Data none = Clip0Data.of(full, 0);
        assertSame(full, none.study());
        assertSame(full.fashionTrain(), none.phase0());
        assertEquals(0, none.heldOut().length);
        assertTrue(none.keyEntries().isEmpty());
        assertEquals(keyAsBefore(d, full), Clip0.key(d, none));
        assertEquals(keyAsBefore(d, full), Clip0.key(d, full));
    }

    @Test
    void seenDigitsChangeTheKey() throws Exception {
        String before = keyAsBefore(d, full), k50 = Clip0.key(d, Clip0Data.of(full, 50)), k30 = Clip0.key(d, Clip0Data.of(full, 30));
        assertNotEquals(before, k50);
        assertNotEquals(before, k30);
        assertNotEquals(k30, k50);
        assertEquals(k50, Clip0.key(d, Clip0Data.of(Fixtures.benchmark(), 50)), "the same data and count, the same key");
        assertEquals(50, Clip0Data.of(full, 50).keyEntries().get("clip0_digits"));
        assertEquals(Clip0Data.RULE, Clip0Data.of(full, 50).keyEntries().get("clip0_digits_rule"));
    }

    @Test
    void theHeldOutDigitsAreTheSameNumberAClassAndLeaveTheStudy() {
        Clip0Data c = Clip0Data.of(full, 30);
        LabeledImages all = full.digitsTrain(), study = c.study().digitsTrain();
        int[] perClass = new int[all.numClasses()];
        for (int i : c.heldOut()) perClass[all.labels()[i]]++;
        int[] three = new int[all.numClasses()];
        Arrays.fill(three, 3);
        assertArrayEquals(three, perClass);
        assertEquals(all.count() - 30, study.count());
        assertEquals(all.classNames(), study.classNames());
        // the study's items are exactly the full set's items that were not held out, in their order
        Set<Integer> held = new HashSet<>();
        for (int i : c.heldOut()) held.add(i);
        assertEquals(30, held.size());
        int k = 0;
        for (int i = 0; i < all.count(); i++) {
            if (held.contains(i)) continue;
            assertEquals(all.labels()[i], study.labels()[k]);
            assertArrayEquals(image(all, i), image(study, k), "study item " + k);
            k++;
        }
        assertEquals(study.count(), k);
        // and no held-out image is among them (the fixture's images are all distinct)
        Set<String> studyImages = new HashSet<>();
        for (int i = 0; i < study.count(); i++) studyImages.add(Arrays.toString(image(study, i)));
        for (int i : c.heldOut()) assertTrue(!studyImages.contains(Arrays.toString(image(all, i))), "held-out item " + i + " is in the study");
        // the rest of the benchmark is untouched
        assertSame(full.fashionTrain(), c.study().fashionTrain());
        assertSame(full.digitsTest(), c.study().digitsTest());
        assertSame(full.tokenizer(), c.study().tokenizer());
    }

    @Test
    void phaseZeroTrainsOnFashionThenTheHeldOutDigitsUnderTheirOwnNames() {
        Clip0Data c = Clip0Data.of(full, 50);
        LabeledImages f = full.fashionTrain(), p = c.phase0(), digits = full.digitsTrain();
        assertEquals(f.count() + 50, p.count());
        for (int i = 0; i < f.count(); i++) {
            assertEquals(f.labels()[i], p.labels()[i]);
            assertArrayEquals(image(f, i), image(p, i));
        }
        for (int k = 0; k < 50; k++) {
            int item = c.heldOut()[k];
            assertEquals(digits.classNames().get(digits.labels()[item]), p.classNames().get(p.labels()[f.count() + k]));
            assertArrayEquals(image(digits, item), image(p, f.count() + k));
        }
        // the digits' captions in phase 0 are the stream's: the same templates around the digit's name
        assertEquals(full.digitCaptions().templates(), full.fashionCaptions().templates());
    }

    @Test
    void theRuleIsFixed() {
        assertArrayEquals(Clip0Data.of(full, 40).heldOut(), Clip0Data.of(Fixtures.benchmark(), 40).heldOut());
        assertNotEquals(Arrays.toString(Clip0Data.of(full, 10).heldOut()), Arrays.toString(firstOfEachClass(full.digitsTrain())),
                "a seeded choice, not the first item of each class");
    }

    @Test
    void badCountsNameTheOption() {
        for (int bad : new int[] {-10, 15, 60, 70}) {
            String m = assertThrows(IllegalArgumentException.class, () -> Clip0Data.of(full, bad)).getMessage();
            assertTrue(m.contains(Clip0Data.OPTION) && m.contains(String.valueOf(bad)), m);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Clip0Data.of(full, 60)).getMessage().contains("has 6 training images"));
    }

    @Test
    void aClip0ThatSawDigitsIsTrainedAndCachedUnderItsOwnKey(@TempDir Path cache) throws IOException {
        Clip0Data c = Clip0Data.of(full, 20);
        List<String> lines = new ArrayList<>();
        SessionListener l = new SessionListener() {
            @Override
            public void info(String line) { lines.add(line); }
        };
        DemoConfig two = new DemoConfig(1, 10, 2e-3, 0.1, 0.1, 32, 1, 1, 14, 16, 20, 7);   // 2 steps an epoch, as the demo's count says
        Clip0.obtain(two, c, new ImageTensors(28, true), cache, l);
        assertTrue(lines.get(0).contains("Fashion-MNIST and 20 digit images (2 steps)"), lines.toString());
        String key = Clip0.key(two, c);
        assertTrue(Files.isRegularFile(cache.resolve("clip0-" + key + ".safetensors")));
        assertTrue(Files.notExists(cache.resolve("clip0-" + Clip0.key(two, full) + ".safetensors")), "not under the plain CLIP_0's key");
        Map<String, Object> info = Json.readObject(cache.resolve("clip0-" + key + ".json"));
        assertEquals(20, ((Number) info.get("clip0_digits")).intValue());
        Clip0.obtain(two, c, new ImageTensors(28, true), cache, l);
        assertTrue(lines.get(1).contains("cached"), lines.toString());
    }

    private static int[] image(LabeledImages s, int item) {
        int[] px = new int[s.side() * s.side()];
        for (int i = 0; i < px.length; i++) px[i] = s.pixel(item, i);
        return px;
    }

    private static int[] firstOfEachClass(LabeledImages s) {
        int[] out = new int[s.numClasses()];
        Arrays.fill(out, -1);
        for (int i = 0; i < s.count(); i++) if (out[s.labels()[i]] < 0) out[s.labels()[i]] = i;
        Arrays.sort(out);
        return out;
    }
}

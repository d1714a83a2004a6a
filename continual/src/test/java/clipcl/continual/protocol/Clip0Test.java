package clipcl.continual.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.clip.demo.DemoConfig;
import clipcl.clip.model.Clip;
import clipcl.continual.Fixtures;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.train.SessionListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Clip0Test {
    @Test
    void trainedOnceThenLoadedFromTheCacheByItsKey(@TempDir Path cache) throws IOException {
        Benchmark b = Fixtures.benchmark();
        DemoConfig d = new DemoConfig(1, 10, 2e-3, 0.1, 0.1, 32, 1, 1, 14, 16, 60_000, 7); // 6 steps over the 60 items
        List<String> lines = new ArrayList<>();
        SessionListener l = new SessionListener() {
            @Override
            public void info(String line) { lines.add(line); }
        };
        Clip first = Clip0.obtain(d, b, new ImageTensors(28, true), cache, l);
        assertTrue(lines.get(0).contains("training"), lines.toString());
        String key = Clip0.key(d, b);
        assertTrue(Files.isRegularFile(cache.resolve("clip0-" + key + ".safetensors")));
        assertTrue(Files.notExists(cache.resolve("clip0-" + key + ".partial")), "the training checkpoint goes once the weights are cached");
        // trained: not the initialisation any more
        Clip init = Clip.create(Clip0.modelConfig(d, b), d.seed());
        assertNotEquals(init.parameter("visual.proj").data().get(0, 0), first.parameter("visual.proj").data().get(0, 0));
        Clip second = Clip0.obtain(d, b, new ImageTensors(28, true), cache, l);
        assertTrue(lines.get(1).contains("cached"), lines.toString());
        for (String n : first.namedParameters().keySet()) {
            assertArrayEquals(first.parameter(n).data().toFloatArray(), second.parameter(n).data().toFloatArray(), n);
        }
        assertNotEquals(key, Clip0.key(d.withSeed(8), b));
        assertNotEquals(key, Clip0.key(d.withEpochs(2), b));
        assertEquals(key, Clip0.key(d, Fixtures.benchmark()));
    }
}
